// The JSON Schemas under schemas/ (for yaml-language-server and other editors) are generated from the TypeBox
// schemas the loader validates with. `npm run schemas` rewrites them; this test fails when they are out of date.

import { readFileSync } from 'node:fs';

import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';

import { SCHEMA_FILES } from '../../../src/config/schema/index.js';

const SCHEMAS_DIR = new URL('../../../schemas/', import.meta.url);

describe.each(Object.entries(SCHEMA_FILES))('schemas/%s', (name, schema) => {
  it('matches the schema the loader uses', async () => {
    await expect(`${JSON.stringify(schema, null, 2)}\n`).toMatchFileSnapshot(new URL(name, SCHEMAS_DIR).pathname);
  });

  it('compiles as a plain draft-07 schema, as an editor reads it', () => {
    const json: unknown = JSON.parse(readFileSync(new URL(name, SCHEMAS_DIR), 'utf8'));
    const editor = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    const validate = editor.compile(json as object);
    expect(validate({ 'x-anchors': { anything: true } })).toBe(true);
    expect(validate({ misspelt_key: 1 })).toBe(false);
  });
});
