// Validates parsed config data against its JSON Schema with ajv, and turns ajv's errors into problems a user can act
// on: one per value, placed where the value (or the unknown key, or the incomplete mapping) was written, and worded
// from the schema's own hints.

import type { TSchema } from '@sinclair/typebox';
import { Ajv, type ErrorObject, type SchemaValidateFunction, type ValidateFunction } from 'ajv';

import { closestName } from './did-you-mean.js';
import { durationRangeProblem, type DurationRange } from './duration.js';
import { childPointer, isWithin } from './pointer.js';
import { got } from './problems.js';
import { sizeRangeProblem, type SizeRange } from './size.js';
import type { ConfigProblem } from './types.js';
import type { ConfigDocument } from './yaml-document.js';

const ajv = new Ajv({ allErrors: true, verbose: true, strictTypes: false, strictRequired: false });
ajv.addKeyword({ keyword: 'errorMessage', schemaType: 'string' });
ajv.addKeyword({ keyword: 'patternErrorMessage', schemaType: 'string' });
ajv.addKeyword({
  keyword: 'durationRange',
  type: 'string',
  schemaType: 'object',
  errors: true,
  validate: rangeKeyword('durationRange', (data, range: DurationRange) => durationRangeProblem(data as string, range)),
});
ajv.addKeyword({
  keyword: 'sizeRange',
  schemaType: 'object',
  errors: true,
  validate: rangeKeyword('sizeRange', (data, range: SizeRange) => sizeRangeProblem(data, range)),
});
ajv.addFormat('regex', { type: 'string', validate: (text: string) => regexError(text) === undefined });

function rangeKeyword<R>(
  keyword: string,
  check: (data: unknown, range: R) => string | undefined,
): SchemaValidateFunction {
  const validate: SchemaValidateFunction = (range: R, data: unknown) => {
    const message = check(data, range);
    validate.errors = message === undefined ? [] : [{ keyword, message, params: {} }];
    return message === undefined;
  };
  return validate;
}

/** Why `text` does not compile as a regular expression, or undefined when it does. */
export function regexError(text: string): string | undefined {
  try {
    new RegExp(text);
    return undefined;
  } catch (error) {
    return (error as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
  }
}

const compiled = new WeakMap<object, ValidateFunction>();

function compile(schema: object): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

/** Every way `document.value` breaks `schema`, as positioned problems. */
export function schemaProblems(schema: TSchema, document: ConfigDocument): ConfigProblem[] {
  const validate = compile(schema);
  if (validate(document.value)) return [];
  return relevantErrors(validate.errors ?? [], document).map((error) => toProblem(error, document));
}

/** The pointer a problem is about: the unknown key itself, otherwise the value ajv looked at. */
function pointerOf(error: ErrorObject): string {
  if (error.keyword === 'additionalProperties') {
    return childPointer(error.instancePath, String(error.params.additionalProperty));
  }
  if (error.keyword === 'uniqueItems') return childPointer(error.instancePath, repeatedItems(error).later);
  return error.instancePath;
}

/** Keywords that reject a value as a whole; problems inside such a value are noise. */
const REJECTS_VALUE = new Set(['type', 'not', 'anyOf', 'enum', 'const', 'false schema']);

function repeatedItems(error: ErrorObject): { earlier: number; later: number } {
  const items = [Number(error.params.i), Number(error.params.j)];
  return { earlier: Math.min(...items), later: Math.max(...items) };
}

function relevantErrors(errors: readonly ErrorObject[], document: ConfigDocument): ErrorObject[] {
  const unfilled = [...document.unfilled];
  let kept = errors.filter(
    (error) => error.keyword !== 'if' && !unfilled.some((pointer) => isWithin(pointerOf(error), pointer)),
  );
  kept = resolveUnions(kept);
  const rejected = kept.filter((error) => REJECTS_VALUE.has(error.keyword)).map(pointerOf);
  kept = kept.filter((error) => {
    const pointer = pointerOf(error);
    return (
      !rejected.some((outer) => outer !== pointer && isWithin(pointer, outer)) &&
      !(error.keyword === 'required' && rejected.includes(pointer))
    );
  });
  return onePerValue(kept);
}

/**
 * An `anyOf` fails with the errors of every branch. When the value has the JSON type of exactly one branch (a list
 * given where "a code or a list of codes" is allowed), that branch's errors say what is wrong; otherwise the union's
 * own message does.
 */
function resolveUnions(errors: ErrorObject[]): ErrorObject[] {
  let kept = errors;
  const unions = errors.filter((error) => error.keyword === 'anyOf');
  unions.sort((a, b) => a.schemaPath.length - b.schemaPath.length);
  for (const union of unions) {
    if (!kept.includes(union)) continue;
    const prefix = `${union.schemaPath}/`;
    // Items of one list share schema paths: a branch's errors are those under the union's schema and value.
    const inUnion = (error: ErrorObject): boolean =>
      error.schemaPath.startsWith(prefix) && isWithin(error.instancePath, union.instancePath);
    const branch = matchingBranch(union.schema as TSchema[], union.data);
    const chosen = branch === undefined ? undefined : `${prefix}${branch}/`;
    const inChosen = (error: ErrorObject): boolean =>
      chosen !== undefined && inUnion(error) && error.schemaPath.startsWith(chosen);
    const explained = kept.some(inChosen);
    kept = kept.filter((error) => {
      if (error === union) return !explained;
      return !inUnion(error) || (explained && inChosen(error));
    });
  }
  return kept;
}

function matchingBranch(branches: readonly TSchema[], data: unknown): number | undefined {
  const matches = branches.flatMap((branch, index) => (hasJsonType(data, branch['type']) ? [index] : []));
  return matches.length === 1 ? matches[0] : undefined;
}

function hasJsonType(data: unknown, type: unknown): boolean {
  switch (type) {
    case 'object':
      return data !== null && typeof data === 'object' && !Array.isArray(data);
    case 'array':
      return Array.isArray(data);
    case 'integer':
      return Number.isInteger(data);
    case 'null':
      return data === null;
    default:
      return typeof type === 'string' && typeof data === type;
  }
}

/** One problem per value (the most specific rule wins); each missing key and unknown key still counts alone. */
function onePerValue(errors: ErrorObject[]): ErrorObject[] {
  const byValue = new Map<string, ErrorObject>();
  for (const error of errors) {
    const missing = error.keyword === 'required' ? `\u0000${String(error.params.missingProperty)}` : '';
    const key = `${pointerOf(error)}${missing}`;
    const previous = byValue.get(key);
    if (!previous || error.schemaPath.length > previous.schemaPath.length) byValue.set(key, error);
  }
  return [...byValue.values()];
}

function toProblem(error: ErrorObject, document: ConfigDocument): ConfigProblem {
  const pointer = pointerOf(error);
  if (error.keyword === 'additionalProperties') {
    const key = String(error.params.additionalProperty);
    const allowedList = allowedKeys(error.parentSchema, error.data);
    const meant = closestName(key, allowedList);
    const hint = meant === undefined ? '' : `; did you mean \`${meant}\`?`;
    return document.problem(pointer, `unknown key \`${key}\` (allowed: ${allowedList.join(', ')})${hint}`, 'key');
  }
  const hint = schemaHint(error);
  if (error.keyword === 'required') {
    return document.problem(pointer, hint ?? `missing required key \`${String(error.params.missingProperty)}\``);
  }
  // A forbidden key's message is complete; "got …" would only repeat its value.
  if (error.keyword === 'not') return document.problem(pointer, hint ?? 'is not allowed here');
  const shown = got(error.data, document.fromEnvironment.has(pointer));
  return document.problem(pointer, hint ? `${hint}, ${shown}` : valueMessage(error, shown));
}

/** Keywords whose message the schema may word itself through `errorMessage`. */
const WORDED_BY_SCHEMA = new Set(['type', 'enum', 'const', 'anyOf', 'not', 'required', 'pattern']);

function schemaHint(error: ErrorObject): string | undefined {
  const parent = (error.parentSchema ?? {}) as Record<string, unknown>;
  const own = error.keyword === 'pattern' ? parent['patternErrorMessage'] : undefined;
  const general = WORDED_BY_SCHEMA.has(error.keyword) ? parent['errorMessage'] : undefined;
  const hint = own ?? general;
  return typeof hint === 'string' ? hint : undefined;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
  null: 'empty',
};

function valueMessage(error: ErrorObject, shown: string): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'type':
      return `must be ${String(params['type'])
        .split(',')
        .map((type) => TYPE_WORDS[type] ?? type)
        .join(' or ')}, ${shown}`;
    case 'enum':
      return `must be one of ${(params['allowedValues'] as unknown[]).map(String).join(', ')}; ${shown}`;
    case 'minimum':
      return `must be at least ${String(params['limit'])}, ${shown}`;
    case 'maximum':
      return `must be at most ${String(params['limit'])}, ${shown}`;
    case 'minLength':
      return params['limit'] === 1
        ? 'must not be empty'
        : `must be at least ${String(params['limit'])} characters long`;
    case 'minItems':
      return params['limit'] === 1
        ? 'must list at least one item'
        : `must list at least ${String(params['limit'])} items`;
    case 'uniqueItems':
      return `is listed twice (also item ${repeatedItems(error).earlier})`;
    case 'format':
      return `is not a valid regular expression: ${regexError(String(error.data)) ?? 'does not compile'}`;
    case 'pattern':
      return `must match ${String(params['pattern'])}, ${shown}`;
    case 'false schema':
      return 'is not allowed here';
    default:
      return error.message ?? 'is not valid';
  }
}

/** The keys a mapping may hold, leaving out those its type rules forbid (a redis check does not list `query`). */
function allowedKeys(schema: unknown, data: unknown): string[] {
  const object = schema as { properties?: Record<string, unknown>; allOf?: unknown[] };
  const keys = Object.keys(object.properties ?? {});
  const forbidden = new Set<string>();
  for (const rule of object.allOf ?? []) {
    const { if: condition, then } = rule as { if?: object; then?: { properties?: Record<string, { not?: unknown }> } };
    if (!condition || !then?.properties || !compile(condition)(data)) continue;
    for (const [key, form] of Object.entries(then.properties)) if (form.not !== undefined) forbidden.add(key);
  }
  return keys.filter((key) => !forbidden.has(key));
}
