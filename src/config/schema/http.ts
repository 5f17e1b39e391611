// The http check's `endpoint` (what to request) and `validation` (what a correct answer looks like).

import { Type } from '@sinclair/typebox';

import { Forbidden, NonEmptyString, OneOrMany, Regex, Size, Strict, StringEnum, StringMap } from './common.js';

export const MAX_BODY_BYTES_RANGE = { min: 1024, max: 64 * 1024 ** 2, minText: '1KiB', maxText: '64MiB' };

export const EndpointSchema = Strict(
  {
    url: Type.String({
      pattern: String.raw`^https?://[^\s/?#]+\S*$`,
      patternErrorMessage: 'must be an http:// or https:// URL',
      description: 'The URL to request. Example: "{{ API_BASE_URL }}/api/health"',
    }),
    method: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z]+$',
        patternErrorMessage: 'must be an HTTP method such as GET or POST',
        default: 'GET',
      }),
    ),
    headers: Type.Optional(
      StringMap(Type.String(), { description: 'Request headers. Example: {Authorization: "Bearer {{ TOKEN }}"}' }),
    ),
    body: Type.Optional(
      Type.Union([Type.String(), StringMap(Type.Unknown())], {
        errorMessage: 'must be text or a mapping (sent as JSON)',
        description: 'Request body: text, or a mapping sent as JSON (content-type application/json unless set).',
      }),
    ),
    follow_redirects: Type.Optional(Type.Boolean({ default: true })),
    max_redirects: Type.Optional(Type.Integer({ minimum: 0, maximum: 20, default: 5 })),
    max_body_bytes: Type.Optional(
      Size(MAX_BODY_BYTES_RANGE, { description: 'Response bytes read at most (1KiB to 64MiB).', default: '1MiB' }),
    ),
    tls_verify: Type.Optional(Type.Boolean({ default: true, description: 'Verify the server certificate.' })),
  },
  { description: 'The request an http check sends.' },
);

const JsonPathAssertionSchema = Strict(
  {
    path: Type.String({
      pattern: String.raw`^\$(?:\.[^.\[\]\s]+|\[\d+\]|\['[^']*'\]|\["[^"]*"\])*$`,
      patternErrorMessage: "must be a JSONPath like $.status, $.items[0].name or $['key']",
    }),
    equals: Type.Optional(Type.Unknown({ description: 'The value the path must hold.' })),
    matches: Type.Optional(Regex({ description: 'A regular expression the value (as text) must match.' })),
  },
  {
    description: 'The value at `path` must exist, and equal `equals` or match `matches` when given.',
    allOf: [{ not: { required: ['equals', 'matches'] }, errorMessage: 'set either `equals` or `matches`, not both' }],
  },
);

const BodyValidationSchema = Strict(
  {
    type: Type.Optional(
      StringEnum(['text', 'json'] as const, { description: '`json` when json_path is used (the default then).' }),
    ),
    contains_any: Type.Optional(Type.Array(Type.String(), { description: 'At least one of these must appear.' })),
    contains_all: Type.Optional(Type.Array(Type.String(), { description: 'Each of these must appear.' })),
    not_contains: Type.Optional(Type.Array(Type.String(), { description: 'None of these may appear.' })),
    matches: Type.Optional(OneOrMany(Regex(), 'a regular expression')),
    json_path: Type.Optional(Type.Array(JsonPathAssertionSchema)),
  },
  {
    allOf: [
      {
        if: { properties: { type: { const: 'text' } }, required: ['type'] },
        then: { properties: { json_path: Forbidden('`json_path` needs `type: json`') } },
      },
    ],
  },
);

const StatusCode = Type.Integer({ minimum: 100, maximum: 599 });

export const HttpValidationSchema = Strict(
  {
    status_code: Type.Optional(
      OneOrMany(StatusCode, 'a status code', { description: 'Accepted status codes; any 2xx when absent.' }),
    ),
    headers: Type.Optional(
      StringMap(Regex(), { description: 'Header name → regular expression its value must match.' }),
    ),
    headers_absent: Type.Optional(Type.Array(NonEmptyString(), { description: 'Headers that must not be sent.' })),
    body: Type.Optional(BodyValidationSchema),
  },
  { description: 'What a correct answer looks like.' },
);
