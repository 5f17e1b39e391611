// Temporary directories a test file makes through its helpers, removed when the file is done
// (tests/setup/remove-temp-dirs.ts, after the file's own afterAll hooks, so processes using them have stopped).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const made: string[] = [];

/** A new directory under the system's temporary directory, named `<prefix>-XXXXXX`. */
export function makeTempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `${prefix}-`));
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}
