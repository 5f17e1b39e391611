// Building blocks for the config file schemas. Each carries the words its errors should use (`errorMessage`,
// `patternErrorMessage`, which yaml-language-server shows too), so a user reads "must be a duration like 30s"
// rather than a regular expression. `durationRange` and `sizeRange` are Vigil keywords that ./validate.ts teaches ajv;
// editors ignore them.

import {
  Type,
  type SchemaOptions,
  type Static,
  type TObject,
  type TOptional,
  type TProperties,
  type TSchema,
} from '@sinclair/typebox';

import { DURATION_PATTERN, type DurationRange } from '../duration.js';
import { SIZE_PATTERN, type SizeRange } from '../size.js';

export function Duration(range: DurationRange, options: SchemaOptions = {}) {
  return Type.String({
    pattern: DURATION_PATTERN,
    errorMessage: 'must be a duration like 30s, 5m or 1h30m',
    durationRange: range,
    ...options,
  });
}

/** A byte count: an integer or a string with a unit. */
export function Size(range: SizeRange, options: SchemaOptions = {}) {
  return Type.Union([Type.Integer(), Type.String({ pattern: SIZE_PATTERN })], {
    errorMessage: 'must be a number of bytes or a size like 64KiB or 1MiB',
    sizeRange: range,
    ...options,
  });
}

/** A JavaScript regular expression; it must compile. */
export function Regex(options: SchemaOptions = {}) {
  return Type.String({ format: 'regex', ...options });
}

export function NonEmptyString(options: SchemaOptions = {}) {
  return Type.String({ minLength: 1, ...options });
}

/** One of a fixed set of strings, as a plain JSON Schema `enum` (clearer errors and completions than `anyOf`). */
export function StringEnum<const T extends readonly string[]>(values: T, options: SchemaOptions = {}) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}

/** A value or a non-empty list of them; `words` names the single value in messages ("a status code"). */
export function OneOrMany<T extends TSchema>(item: T, words: string, options: SchemaOptions = {}) {
  return Type.Union([item, Type.Array(item, { minItems: 1 })], {
    errorMessage: `must be ${words} or a list of them`,
    ...options,
  });
}

export function StringMap<T extends TSchema>(value: T, options: SchemaOptions = {}) {
  return Type.Record(Type.String(), value, options);
}

/** A mapping that rejects unknown keys. */
export function Strict<T extends TProperties>(properties: T, options: SchemaOptions = {}): TObject<T> {
  return Type.Object(properties, { additionalProperties: false, ...options });
}

/** Every property optional: a config section the user may leave out entirely. */
export function AllOptional<T extends Record<string, TSchema>>(schemas: T): { [K in keyof T]: TOptional<T[K]> } {
  const entries = Object.entries(schemas).map(([key, schema]) => [key, Type.Optional(schema)]);
  return Object.fromEntries(entries) as { [K in keyof T]: TOptional<T[K]> };
}

/**
 * Options for the root of a file: the JSON Schema dialect, and room for `x-` keys that hold YAML anchors to reuse
 * (`x-common: &common {...}` then `<<: *common`), as docker-compose allows.
 */
export function fileOptions(title: string, description: string): SchemaOptions {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title,
    description,
    patternProperties: { '^x-': {} },
  };
}

/** A schema that rejects any value, with the message to show (a key that does not apply in this context). */
export function Forbidden(message: string): TSchema {
  return Type.Unsafe({ not: {}, errorMessage: message });
}

export type { Static };
