// The JSON Schemas of the three config files, by the name of the committed file under schemas/.

import type { TSchema } from '@sinclair/typebox';

import { ChecksFileSchema } from './checks.js';
import { ConfigFileSchema } from './config.js';
import { StatusPageFileSchema } from './status-page.js';

export const SCHEMA_FILES: Record<string, TSchema> = {
  'checks.schema.json': ChecksFileSchema,
  'config.schema.json': ConfigFileSchema,
  'status-page.schema.json': StatusPageFileSchema,
};
