// One check in checks.yml. The keys every check has, the options of each check type, and one rule per type that
// requires its `endpoint` or `target`, narrows shared option names (`target`, `expect`) and rejects the options of
// other types by name, so an editor and `vigil check-config` both say "`query` is not an option of a redis check".

import { Type, type TSchema } from '@sinclair/typebox';

import { HOST_OPTIONAL_PORT_PATTERN, HOST_PORT_PATTERN } from '../address.js';
import { INTERVAL_RANGE, PUSH_GRACE_RANGE, TIMEOUT_RANGE } from '../duration.js';
import { withArticle } from '../problems.js';
import type { CheckType, DnsRecordType } from '../../model/check.js';
import { Duration, Forbidden, NonEmptyString, OneOrMany, Regex, StringEnum, StringMap } from './common.js';
import { EndpointSchema, HttpValidationSchema } from './http.js';
import { FailureThreshold, PerformanceSchema } from './performance.js';

export const CHECK_TYPES = [
  'http',
  'tcp',
  'dns',
  'tls',
  'websocket',
  'postgres',
  'redis',
  'push',
] as const satisfies readonly CheckType[];
export const DNS_RECORD_TYPES = [
  'A',
  'AAAA',
  'CNAME',
  'MX',
  'TXT',
  'NS',
  'SRV',
  'PTR',
] as const satisfies readonly DnsRecordType[];

/** Settings a check inherits from its group and from `defaults:` when it does not set them itself. */
export const inheritableProperties = {
  interval: Type.Optional(
    Duration(INTERVAL_RANGE, { description: 'How often the check runs (10s to 1h).', default: '60s' }),
  ),
  timeout: Type.Optional(
    Duration(TIMEOUT_RANGE, {
      description: 'How long one probe may take (1s to 60s, below the interval).',
      default: '10s',
    }),
  ),
  failure_threshold: Type.Optional(FailureThreshold),
  performance: Type.Optional(PerformanceSchema),
};

const commonProperties = {
  id: Type.String({
    pattern: '^[a-z0-9_]+$',
    patternErrorMessage: 'must use only lower-case letters, digits and underscores (it becomes the `check` label)',
    description: 'Unique id; becomes the `check` label. Example: api_root',
  }),
  name: Type.Optional(NonEmptyString({ description: 'Display name; the id when absent.' })),
  type: Type.Optional(StringEnum(CHECK_TYPES, { default: 'http', description: 'What kind of target this probes.' })),
  component: Type.Optional(NonEmptyString({ description: "Status-page component; the group's component or name." })),
  service: Type.Optional(NonEmptyString({ description: "The `service` label; the group's service or the id." })),
  enabled: Type.Optional(Type.Boolean({ default: true })),
  ...inheritableProperties,
};

const optionProperties = {
  endpoint: Type.Optional(EndpointSchema),
  load: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 100,
      default: 1,
      description: 'Concurrent requests per run; the slowest counts.',
    }),
  ),
  validation: Type.Optional(HttpValidationSchema),
  target: Type.Optional(
    NonEmptyString({
      description:
        'What to probe: host:port (tcp, tls), a DNS name (dns), a ws:// URL, a postgres:// URL, a redis:// URL.',
    }),
  ),
  send: Type.Optional(Type.String({ description: 'Text sent once connected (tcp, websocket).' })),
  expect: Type.Optional(
    OneOrMany(Type.String(), 'a string', {
      description: 'tcp, websocket: a regular expression the first data must match; dns: answers that must be present.',
    }),
  ),
  tls: Type.Optional(Type.Boolean({ default: false, description: 'Speak TLS on the connection (tcp).' })),
  tls_verify: Type.Optional(
    Type.Boolean({ default: true, description: 'Verify the server certificate (tcp with tls).' }),
  ),
  record_type: Type.Optional(StringEnum(DNS_RECORD_TYPES, { default: 'A' })),
  server: Type.Optional(
    Type.String({
      pattern: HOST_OPTIONAL_PORT_PATTERN,
      patternErrorMessage: 'must be a host or host:port, e.g. 127.0.0.1:53',
      description: 'DNS server to ask (port 53 unless given); the system resolver when absent.',
    }),
  ),
  headers: Type.Optional(StringMap(Type.String(), { description: 'Headers of the WebSocket upgrade request.' })),
  server_name: Type.Optional(NonEmptyString({ description: 'TLS server name (SNI); the target host when absent.' })),
  verify: Type.Optional(Type.Boolean({ default: true, description: 'Verify the chain and host name (tls).' })),
  min_days_remaining: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 3650,
      default: 14,
      description: 'Degraded when the certificate expires sooner.',
    }),
  ),
  query: Type.Optional(NonEmptyString({ default: 'SELECT 1', description: 'SQL to run (postgres).' })),
  grace: Type.Optional(
    Duration(PUSH_GRACE_RANGE, {
      default: '0s',
      description: 'push: how late a ping may be after the interval before the check is down (`missed`).',
    }),
  ),
  token_env: Type.Optional(
    Type.String({
      pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
      patternErrorMessage: 'must be the name of an environment variable, e.g. BACKUP_PUSH_TOKEN',
      description: "push: the environment variable holding the check's own token. Example: BACKUP_PUSH_TOKEN",
    }),
  ),
  token_file: Type.Optional(
    NonEmptyString({ description: "push: a file holding the check's own token. Example: /run/secrets/backup_push" }),
  ),
};

type OptionKey = keyof typeof optionProperties;

/** The options each check type accepts besides the common keys. */
export const OPTIONS_BY_TYPE: Record<CheckType, readonly OptionKey[]> = {
  http: ['endpoint', 'load', 'validation'],
  tcp: ['target', 'send', 'expect', 'tls', 'tls_verify'],
  dns: ['target', 'record_type', 'server', 'expect'],
  tls: ['target', 'server_name', 'verify', 'min_days_remaining'],
  websocket: ['target', 'headers', 'send', 'expect'],
  postgres: ['target', 'query'],
  redis: ['target'],
  push: ['grace', 'token_env', 'token_file'],
};

function url(schemes: readonly string[], example: string): TSchema {
  const words = schemes.map((scheme) => `${scheme}://`).join(' or ');
  return Type.String({
    pattern: `^(?:${schemes.join('|')})://\\S+$`,
    patternErrorMessage: `must be a ${words} URL, e.g. ${example}`,
  });
}

const hostPort = (example: string): TSchema =>
  Type.String({ pattern: HOST_PORT_PATTERN, patternErrorMessage: `must be host:port, e.g. ${example}` });

/** Narrower schemas for shared option names, per type. */
const OPTION_FORMS: Partial<Record<CheckType, Partial<Record<OptionKey, TSchema>>>> = {
  tcp: { target: hostPort('mail.example.com:25'), expect: Regex() },
  dns: {
    target: Type.String({ pattern: '^[A-Za-z0-9_.-]+$', patternErrorMessage: 'must be a DNS name, e.g. example.com' }),
  },
  tls: { target: hostPort('example.com:443') },
  websocket: { target: url(['ws', 'wss'], 'wss://example.com/socket'), expect: Regex() },
  postgres: { target: url(['postgres', 'postgresql'], 'postgres://user@db:5432/app') },
  redis: { target: url(['redis', 'rediss'], 'redis://cache:6379') },
};

const TARGET_FORMS: Record<CheckType, string> = {
  http: '',
  tcp: '`target: host:port`',
  dns: '`target:` with the name to resolve',
  tls: '`target: host:port`',
  websocket: '`target:` with a ws:// or wss:// URL',
  postgres: '`target:` with a postgres:// URL',
  redis: '`target:` with a redis:// URL',
  push: '',
};

function typeRule(type: CheckType): Record<string, unknown> {
  const properties: Record<string, TSchema> = {};
  for (const key of Object.keys(optionProperties) as OptionKey[]) {
    if (OPTIONS_BY_TYPE[type].includes(key)) continue;
    const hint = type === 'http' && key === 'target' ? ' (use `endpoint.url`)' : '';
    properties[key] = Forbidden(`\`${key}\` is not an option of ${withArticle(type)} check${hint}`);
  }
  Object.assign(properties, OPTION_FORMS[type]);
  // A push check is pinged rather than probed: it has no target; its token is required by check-rules.ts.
  if (type === 'push')
    return { if: { properties: { type: { const: type } }, required: ['type'] }, then: { properties } };
  const required = type === 'http' ? 'endpoint' : 'target';
  const needs = type === 'http' ? '`endpoint:` with at least `url:`' : TARGET_FORMS[type];
  return {
    if: { properties: { type: { const: type } }, ...(type === 'http' ? {} : { required: ['type'] }) },
    then: {
      required: [required],
      properties,
      errorMessage: `missing \`${required}\`: ${withArticle(type)} check needs ${needs}`,
    },
  };
}

const typeRules = CHECK_TYPES.map(typeRule);

/** A check inside `groups[].checks`. */
export const GroupCheckSchema = Type.Object(
  { ...commonProperties, ...optionProperties },
  { additionalProperties: false, allOf: typeRules, description: 'One synthetic check.' },
);

/** A check in the flat `checks:` list, which may name its group. */
export const FlatCheckSchema = Type.Object(
  {
    ...commonProperties,
    group: Type.Optional(NonEmptyString({ description: 'The `group` label; `default` when absent.' })),
    ...optionProperties,
  },
  { additionalProperties: false, allOf: typeRules, description: 'One synthetic check.' },
);
