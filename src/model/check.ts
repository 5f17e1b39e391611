// What a check is: one discriminated union per check type, as the rest of the system sees it after the config
// loader has applied templating, group defaults and durations (milliseconds). The YAML shapes and their schemas live
// in config/schema; config/ turns those into these.

export type CheckType = 'http' | 'tcp' | 'dns' | 'tls' | 'websocket' | 'postgres' | 'redis' | 'push';

/** The types the prober probes itself; a push check waits for its job's pings instead. */
export type ProbedCheckType = Exclude<CheckType, 'push'>;

/** Latency thresholds; a correct answer slower than `warnMs` is degraded, slower than `criticalMs` is down. */
export interface PerformanceThresholds {
  targetMs?: number;
  warnMs?: number;
  criticalMs?: number;
}

export interface CheckBase {
  /** Unique, [a-z0-9_]+; becomes the `check` label. */
  id: string;
  name: string;
  group: string;
  component: string;
  service: string;
  intervalMs: number;
  timeoutMs: number;
  enabled: boolean;
  /** Consecutive failed probes needed before the check reports down (1 = the first failure). */
  failureThreshold: number;
  performance: PerformanceThresholds;
}

export interface BodyValidation {
  /** `json` parses the body; a parse failure is a `body` failure. */
  type: 'text' | 'json';
  containsAny: string[];
  containsAll: string[];
  notContains: string[];
  /** Regular expressions the body must match. */
  matches: string[];
  jsonPath: JsonPathAssertion[];
}

export interface JsonPathAssertion {
  /** A JSONPath subset: `$`, `.key`, `['key']`, `[index]`. */
  path: string;
  /** Exists when neither `equals` nor `matches` is set. */
  equals?: unknown;
  matches?: string;
}

export interface HttpValidation {
  /** Accepted status codes; empty means any 2xx. */
  statusCodes: number[];
  /** Header name (lower case) → regular expression the value must match, anchored. */
  headers: Record<string, string>;
  /** Header names that must be absent. */
  headersAbsent: string[];
  body?: BodyValidation;
}

export interface HttpCheck extends CheckBase {
  type: 'http';
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  followRedirects: boolean;
  maxRedirects: number;
  /** Bytes of the response body read at most; the rest is discarded and the connection closed. */
  maxBodyBytes: number;
  /** Verify the server certificate for https targets. */
  tlsVerify: boolean;
  /** Send this many concurrent requests per run and judge the slowest (1 = a single request). */
  load: number;
  validation: HttpValidation;
}

export interface TcpCheck extends CheckBase {
  type: 'tcp';
  host: string;
  port: number;
  send?: string;
  /** Regular expression the first bytes received must match. */
  expect?: string;
  tls: boolean;
  tlsVerify: boolean;
}

export type DnsRecordType = 'A' | 'AAAA' | 'CNAME' | 'MX' | 'TXT' | 'NS' | 'SRV' | 'PTR';

export interface DnsCheck extends CheckBase {
  type: 'dns';
  /** The name to resolve. */
  query: string;
  recordType: DnsRecordType;
  /** `host:port` of the DNS server to ask; the system resolver when absent. */
  server?: string;
  /** Answers that must all be present (case-insensitive). */
  expect: string[];
}

export interface TlsCheck extends CheckBase {
  type: 'tls';
  host: string;
  port: number;
  serverName?: string;
  /** Verify the chain and host name; off still reports expiry. */
  verify: boolean;
  /** Degraded when the earliest certificate expires within this many days; down once expired. */
  minDaysRemaining: number;
}

export interface WebsocketCheck extends CheckBase {
  type: 'websocket';
  url: string;
  headers: Record<string, string>;
  send?: string;
  /** Regular expression the first message must match. */
  expect?: string;
}

export interface PostgresCheck extends CheckBase {
  type: 'postgres';
  connectionString: string;
  query: string;
}

export interface RedisCheck extends CheckBase {
  type: 'redis';
  url: string;
}

/** Where a push check's token is read from: an environment variable or a file (a Docker or Kubernetes secret). */
export type PushTokenSource = { env: string } | { file: string };

/**
 * A dead man's switch: the job (a cron job, a backup) pings `/api/v1/push/{id}` at least every `intervalMs`; no ping
 * within the interval plus `graceMs` makes the check down with reason `missed`. `timeoutMs` is the grace too, so the
 * SLA lets one ping stand for two intervals and the grace.
 */
export interface PushCheck extends CheckBase {
  type: 'push';
  graceMs: number;
  token: PushTokenSource;
}

export type ProbedCheck = HttpCheck | TcpCheck | DnsCheck | TlsCheck | WebsocketCheck | PostgresCheck | RedisCheck;

export type CheckDefinition = ProbedCheck | PushCheck;
