// Turns a valid raw http check into its normalised form: method upper-cased, a mapping body encoded as JSON,
// validation header names lower-cased, every absent option at its default.

import type { BodyValidation, CheckBase, HttpCheck, HttpValidation } from '../model/check.js';
import type { RawCheck } from './schema/checks.js';
import { parseSize } from './size.js';

type RawEndpoint = NonNullable<RawCheck['endpoint']>;
type RawValidation = NonNullable<RawCheck['validation']>;
type RawBodyValidation = NonNullable<RawValidation['body']>;

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export function normalizeHttpCheck(raw: RawCheck, base: CheckBase): HttpCheck {
  const endpoint = raw.endpoint;
  if (!endpoint) throw new Error(`check ${base.id} passed validation without an endpoint`);
  return Object.assign(base, {
    type: 'http' as const,
    method: (endpoint.method ?? 'GET').toUpperCase(),
    url: endpoint.url,
    ...request(endpoint),
    followRedirects: endpoint.follow_redirects ?? true,
    maxRedirects: endpoint.max_redirects ?? 5,
    maxBodyBytes: parseSize(endpoint.max_body_bytes) ?? DEFAULT_MAX_BODY_BYTES,
    tlsVerify: endpoint.tls_verify ?? true,
    load: raw.load ?? 1,
    validation: validation(raw.validation ?? {}),
  });
}

/** Headers and body; a mapping body is sent as JSON, declared as such unless the user set a content type. */
function request(endpoint: RawEndpoint): { headers: Record<string, string>; body?: string } {
  const headers = { ...endpoint.headers };
  if (endpoint.body === undefined) return { headers };
  if (typeof endpoint.body === 'string') return { headers, body: endpoint.body };
  const hasContentType = Object.keys(headers).some((name) => name.toLowerCase() === 'content-type');
  if (!hasContentType) headers['content-type'] = 'application/json';
  return { headers, body: JSON.stringify(endpoint.body) };
}

function validation(raw: RawValidation): HttpValidation {
  const statusCodes = raw.status_code === undefined ? [] : [raw.status_code].flat();
  const headers = Object.fromEntries(
    Object.entries(raw.headers ?? {}).map(([name, regex]) => [name.toLowerCase(), regex]),
  );
  const result: HttpValidation = {
    statusCodes,
    headers,
    headersAbsent: (raw.headers_absent ?? []).map((name) => name.toLowerCase()),
  };
  if (raw.body) result.body = bodyValidation(raw.body);
  return result;
}

function bodyValidation(raw: RawBodyValidation): BodyValidation {
  const jsonPath = (raw.json_path ?? []).map((assertion) => ({
    path: assertion.path,
    ...('equals' in assertion ? { equals: assertion.equals } : {}),
    ...(assertion.matches === undefined ? {} : { matches: assertion.matches }),
  }));
  return {
    type: raw.type ?? (jsonPath.length > 0 ? 'json' : 'text'),
    containsAny: raw.contains_any ?? [],
    containsAll: raw.contains_all ?? [],
    notContains: raw.not_contains ?? [],
    matches: raw.matches === undefined ? [] : [raw.matches].flat(),
    jsonPath,
  };
}
