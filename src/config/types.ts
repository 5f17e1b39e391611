// The normalised configuration every other module works with: durations in milliseconds, templating applied,
// defaults filled in. The checks themselves are model/check.ts; this is the rest (settings, status page) and the
// whole loaded configuration. The YAML shapes and their schemas live in ./schema; the loader turns those into these.

import type { CheckDefinition } from '../model/check.js';
import type { MaintenanceWindow } from '../model/maintenance.js';
import type { Retention } from '../model/retention.js';
import type { NotificationSettings } from '../model/routing.js';

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
  /** Who hears of an alert group, and how the outbox retries; credentials are not here (the environment). */
  notifications: NotificationSettings;
  /** AI diagnosis; absent when it is off (neither OPENAI_API_KEY nor a base URL is set). */
  ai?: AiSettings;
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
  /** The prober's HTTP API (without a trailing slash), for diagnosis evidence when no store is shared with it. */
  proberUrl?: string;
  /** Where people reach this receiver (links in notifications); absent: derived from where it listens. */
  externalUrl?: string;
}

export interface AlertmanagerSettings {
  /** Base URL for silences (v2 API); absent disables them. */
  url?: string;
  timeoutMs: number;
}

export type JsonSchemaMode = 'auto' | 'on' | 'off';

/** The OpenAI-compatible endpoint of the AI diagnosis. The key is not here: OPENAI_API_KEY, read where it is used. */
export interface AiSettings {
  /** Without a trailing slash, e.g. `https://api.openai.com/v1`. */
  baseUrl: string;
  model: string;
  /** How long one diagnosis waits for the model before the rule diagnosis goes out alone. */
  timeoutMs: number;
  maxTokens: number;
  callsPerMinute: number;
  jsonSchema: JsonSchemaMode;
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
  /** Probe messages shown as they are to every viewer, not only with the admin token. */
  rawMessages?: boolean;
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
