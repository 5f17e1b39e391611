// Turns an ajv error into one line a sender can act on: the field as a path (`alerts[2].labels.severity`), then what
// is wrong with it. Field names come from the request, so they are quoted and cut short, never echoed raw.

import type { ErrorObject } from 'ajv';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SHOWN_NAME_LENGTH = 64;

function quoted(name: string): string {
  const shown = name.length > SHOWN_NAME_LENGTH ? `${name.slice(0, SHOWN_NAME_LENGTH)}…` : name;
  return JSON.stringify(shown);
}

function segment(name: string): string {
  if (/^\d+$/.test(name)) return `[${name}]`;
  if (NAME.test(name)) return `.${name}`;
  return `[${quoted(name)}]`;
}

/** `/alerts/0/labels/a~1b` → `alerts[0].labels["a/b"]`; the root is `body`. */
export function fieldPath(pointer: string, child?: string): string {
  const names =
    pointer === ''
      ? []
      : pointer
          .slice(1)
          .split('/')
          .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'));
  if (child !== undefined) names.push(child);
  if (names.length === 0) return 'body';
  return names.map(segment).join('').replace(/^\./, '');
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

const ARTICLE: Record<string, string> = { object: 'an object', array: 'an array', integer: 'an integer' };

function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'type':
      return `must be ${ARTICLE[String(params.type)] ?? `a ${String(params.type)}`}, got ${typeOf(error.data)}`;
    case 'const':
      return `must be ${JSON.stringify(params.allowedValue)}`;
    case 'enum':
      return `must be one of ${(params.allowedValues as unknown[]).map((value) => JSON.stringify(value)).join(', ')}`;
    case 'maxLength':
      return `must be at most ${String(params.limit)} characters long`;
    case 'minItems':
      return `must contain at least ${String(params.limit)} item${params.limit === 1 ? '' : 's'}`;
    case 'maxItems':
      return `must contain at most ${String(params.limit)} items`;
    case 'minProperties':
      return `must have at least ${String(params.limit)} entr${params.limit === 1 ? 'y' : 'ies'}`;
    case 'maxProperties':
      return `must have at most ${String(params.limit)} entries`;
    case 'format':
      return 'must be an RFC 3339 date-time like 2024-05-01T12:00:00Z';
    case 'pattern':
      return 'may only contain letters, digits and _ . : -';
    case 'minimum':
      return `must be at least ${String(params.limit)}`;
    default:
      return error.message ?? 'is invalid';
  }
}

export function problemMessage(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required')
    return `${fieldPath(error.instancePath, String(params.missingProperty))}: is required`;
  if (error.keyword === 'additionalProperties') {
    return `${fieldPath(error.instancePath, String(params.additionalProperty))}: is not a field this endpoint takes`;
  }
  if (typeof error.propertyName === 'string') {
    return `${fieldPath(error.instancePath)}: the name ${quoted(error.propertyName)} is too long (at most 256 characters)`;
  }
  return `${fieldPath(error.instancePath)}: ${describe(error)}`;
}
