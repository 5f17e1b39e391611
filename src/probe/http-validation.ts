// Judges an HTTP response against a check's validation rules. Pure functions over plain data, so every rule is
// table-tested without a server. The first failed rule wins, in the order a person would debug: status, headers, body.

import { isDeepStrictEqual } from 'node:util';
import type { BodyValidation, HttpValidation, JsonPathAssertion } from '../model/check.js';
import { errorText } from './errors.js';
import { evaluateJsonPath } from './json-path.js';

export interface ObservedResponse {
  status: number;
  /** Header names in lower case, as Node and undici deliver them. */
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface ValidationFailure {
  reason: 'status_code' | 'header' | 'body' | 'json_path' | 'error';
  message: string;
}

/** Observed values in messages are cut to this many characters. */
export const MAX_OBSERVED_CHARS = 100;

/** Returns the first rule the response breaks, or undefined when it passes them all. */
export function validateResponse(
  response: ObservedResponse,
  validation: HttpValidation,
): ValidationFailure | undefined {
  try {
    return (
      checkStatus(response.status, validation.statusCodes) ??
      checkHeaders(response.headers, validation.headers, validation.headersAbsent) ??
      (validation.body ? checkBody(response.body, validation.body) : undefined)
    );
  } catch (error) {
    // Only a bad pattern in the configuration gets here; the loader should have refused it.
    return { reason: 'error', message: `invalid validation rule: ${errorText(error)}` };
  }
}

/** An empty list accepts any 2xx. */
export function checkStatus(status: number, accepted: number[]): ValidationFailure | undefined {
  const ok = accepted.length === 0 ? status >= 200 && status <= 299 : accepted.includes(status);
  if (ok) return undefined;
  return { reason: 'status_code', message: `HTTP ${status}, expected ${describeAccepted(accepted)}` };
}

/** Expected header values must match their pattern in full; names are case-insensitive, values case-sensitive. */
export function checkHeaders(
  headers: ObservedResponse['headers'],
  expected: Record<string, string>,
  absent: string[],
): ValidationFailure | undefined {
  for (const [name, pattern] of Object.entries(expected)) {
    const values = headerValues(headers, name);
    const regex = new RegExp(`^(?:${pattern})$`);
    if (values.length === 0) {
      return { reason: 'header', message: `header ${name.toLowerCase()} is missing, expected to match ${pattern}` };
    }
    if (!values.some((value) => regex.test(value))) {
      const observed = quote(values.join(', '));
      return { reason: 'header', message: `header ${name.toLowerCase()} is ${observed}, expected to match ${pattern}` };
    }
  }
  for (const name of absent) {
    const values = headerValues(headers, name);
    if (values.length > 0) {
      return {
        reason: 'header',
        message: `header ${name.toLowerCase()} is present (${quote(values.join(', '))}), expected absent`,
      };
    }
  }
  return undefined;
}

/** Text rules first, then JSON parsing and JSONPath assertions (a JSONPath implies a JSON body). */
export function checkBody(body: string, validation: BodyValidation): ValidationFailure | undefined {
  const textFailure = checkBodyText(body, validation);
  if (textFailure) return textFailure;
  if (validation.type !== 'json' && validation.jsonPath.length === 0) return undefined;

  let document: unknown;
  try {
    document = JSON.parse(body);
  } catch (error) {
    return { reason: 'body', message: truncate(`response is not valid JSON: ${errorText(error)}`, 160) };
  }
  for (const assertion of validation.jsonPath) {
    const failure = checkJsonPath(document, assertion);
    if (failure) return failure;
  }
  return undefined;
}

/** `matches` searches the value (strings as they are, anything else as JSON); `equals` compares deeply. */
export function checkJsonPath(document: unknown, assertion: JsonPathAssertion): ValidationFailure | undefined {
  const lookup = evaluateJsonPath(document, assertion.path);
  const { path } = assertion;
  if (!lookup.found) {
    const expectation = describeExpectation(assertion);
    return { reason: 'json_path', message: `${path} not found${expectation ? `, ${expectation}` : ''}` };
  }
  if (assertion.equals !== undefined && !isDeepStrictEqual(lookup.value, assertion.equals)) {
    return { reason: 'json_path', message: `${path} is ${quoteJson(lookup.value)}, ${describeExpectation(assertion)}` };
  }
  if (assertion.matches !== undefined && !new RegExp(assertion.matches).test(stringify(lookup.value))) {
    const expectation = `expected to match ${assertion.matches}`;
    return { reason: 'json_path', message: `${path} is ${quoteJson(lookup.value)}, ${expectation}` };
  }
  return undefined;
}

function checkBodyText(body: string, validation: BodyValidation): ValidationFailure | undefined {
  const snippet = `(body: ${quote(body)})`;
  if (validation.containsAny.length > 0 && !validation.containsAny.some((text) => body.includes(text))) {
    return { reason: 'body', message: `body contains none of ${listQuoted(validation.containsAny)} ${snippet}` };
  }
  const missing = validation.containsAll.find((text) => !body.includes(text));
  if (missing !== undefined) return { reason: 'body', message: `body does not contain ${quote(missing)} ${snippet}` };
  const forbidden = validation.notContains.find((text) => body.includes(text));
  if (forbidden !== undefined) return { reason: 'body', message: `body contains ${quote(forbidden)} ${snippet}` };
  const unmatched = validation.matches.find((pattern) => !new RegExp(pattern).test(body));
  if (unmatched !== undefined) return { reason: 'body', message: `body does not match /${unmatched}/ ${snippet}` };
  return undefined;
}

function headerValues(headers: ObservedResponse['headers'], name: string): string[] {
  const wanted = name.toLowerCase();
  const values: string[] = [];
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    values.push(...(Array.isArray(value) ? value : [value]));
  }
  return values;
}

function describeAccepted(accepted: number[]): string {
  if (accepted.length === 0) return '2xx';
  if (accepted.length <= 2) return accepted.join(' or ');
  return `one of ${accepted.join(', ')}`;
}

function describeExpectation(assertion: JsonPathAssertion): string {
  if (assertion.equals !== undefined) return `expected ${quoteJson(assertion.equals)}`;
  if (assertion.matches !== undefined) return `expected to match ${assertion.matches}`;
  return '';
}

function listQuoted(values: string[]): string {
  return values.map((value) => quote(value)).join(', ');
}

function stringify(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
}

/** JSON form, so strings show their quotes and objects stay readable: "degraded", 42, {"a":1}. */
function quoteJson(value: unknown): string {
  return truncate(JSON.stringify(value) ?? String(value), MAX_OBSERVED_CHARS);
}

function quote(value: string): string {
  return JSON.stringify(truncate(value, MAX_OBSERVED_CHARS));
}

function truncate(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}
