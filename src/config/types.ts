// The normalised configuration every other module works with: durations in milliseconds, templating applied,
// group defaults inherited, one discriminated union per check type. The YAML shapes and their schemas live in
// ./schema; the loader turns those into these.

import type { MaintenanceWindow } from '../maintenance/windows.js';
import type { Retention } from '../store/store.js';

export type CheckType = 'http' | 'tcp' | 'dns' | 'tls' | 'websocket' | 'postgres' | 'redis';

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

export type CheckDefinition = HttpCheck | TcpCheck | DnsCheck | TlsCheck | WebsocketCheck | PostgresCheck | RedisCheck;

export interface ListenAddress {
  host: string;
  port: number;
}

export interface ServerSettings {
  proberListen: ListenAddress;
  receiverListen: ListenAddress;
}

export interface ProberSettings {
  /** Probes in flight at most, across all checks. */
  maxConcurrency: number;
}

export interface SlaSettings {
  targetPercent: number;
  warningPercent: number;
  criticalPercent: number;
  countDegradedAsUp: boolean;
}

export interface StorageSettings {
  backend: 'sqlite' | 'postgres';
  /** Relative paths are under the data directory. */
  sqlitePath: string;
  postgresUrl?: string;
}

export interface GlobalSettings {
  server: ServerSettings;
  prober: ProberSettings;
  sla: SlaSettings;
  storage: StorageSettings;
  dataDir: string;
  /** Planned downtime, excluded from the SLA. */
  maintenance: MaintenanceWindow[];
  retention: Retention;
  receiver: ReceiverSettings;
  alertmanager: AlertmanagerSettings;
}

export type WebhookAuthMode = 'bearer' | 'basic' | 'none';

/** The Alertmanager webhook receiver. Secrets are not here: the receiver reads them from the environment. */
export interface ReceiverSettings {
  bodyLimitBytes: number;
  /** A new firing of an active alert this soon after its last notification counts as a repeat of it. */
  dedupWindowMs: number;
  /** An active alert not re-sent by Alertmanager for this long expires. */
  alertTtlMs: number;
  /** Resolved: bearer when VIGIL_WEBHOOK_TOKEN is set and `auth` is not, otherwise none. */
  auth: WebhookAuthMode;
  statusPageUrl?: string;
  prometheusUrl?: string;
}

export interface AlertmanagerSettings {
  /** Base URL for silences (v2 API); absent disables them. */
  url?: string;
  timeoutMs: number;
}

export interface StatusPageComponent {
  id: string;
  name: string;
  description?: string;
  /** Check ids shown under this component. */
  checks: string[];
  public: boolean;
  tier?: string;
}

export interface StatusPageSettings {
  title: string;
  description?: string;
  components: StatusPageComponent[];
  /** SLA periods shown on the page, e.g. ['24h', '7d', '30d', '90d']. */
  periods: string[];
  /** Tier name → SLA target percent. */
  tiers: Record<string, number>;
}

export interface VigilConfig {
  checks: CheckDefinition[];
  settings: GlobalSettings;
  statusPage: StatusPageSettings;
  /** Absolute paths of the files that were read, for messages. */
  files: { checks: string; config?: string; statusPage?: string };
}

/** One configuration problem, located in its file. */
export interface ConfigProblem {
  file: string;
  line: number;
  column: number;
  /** Dotted path of the offending value, e.g. `groups[0].checks[2].interval`. */
  path: string;
  message: string;
}
