// Registered first in every test file, so with vitest's stacked hooks this runs after the file's own afterAll.
import { afterAll } from 'vitest';
import { removeTempDirs } from '../helpers/temp-dirs.js';

afterAll(removeTempDirs);
