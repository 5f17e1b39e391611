// The one chokepoint between Vigil's evidence and the AI provider: `redactedEvidence` builds the only object that is
// ever sent. It copies an allowlist of fields one by one (a field added to the evidence types later is not sent until
// it is added here), scrubs every free text of credentials and secret-looking values, and bounds every list and
// string so one noisy check cannot blow the prompt up.

import type {
  CheckEvidence,
  CheckTarget,
  DiagnosisEvidence,
  EvidenceSourceNote,
  Finding,
  ResultEvidence,
} from '../../model/diagnosis.js';
import { scrubNamedValue, scrubText, scrubUrl } from './secret-text.js';

/** The most recent results sent per check; the rest are only counted. */
const RECENT_RESULTS = 20;
const INCIDENTS = 10;
const CO_FAILING = 10;
const MAINTENANCE_WINDOWS = 5;
const LABELS = 40;
const FINDINGS = 10;
const ITEMS_PER_FINDING = 10;
const TEXT_LENGTH = 500;

/** The phases a result's timings may name (CONTRACT section 4); anything else is left out. */
const PHASES = ['dns', 'connect', 'tls', 'processing', 'transfer'] as const;

export interface AiTarget {
  type: string;
  host?: string;
  port?: number;
  url?: string;
  dns_name?: string;
  record_type?: string;
  resolver?: string;
  server_name?: string;
  database?: string;
}

export interface AiResult {
  at: string;
  status: string;
  reason?: string;
  message: string;
  duration_ms: number;
  http_status?: number;
  phases_ms: Partial<Record<(typeof PHASES)[number], number>>;
  cert_expires_at?: string;
}

export interface AiCheck {
  check_id: string;
  name?: string;
  component?: string;
  service?: string;
  group?: string;
  target?: AiTarget;
  /** Counts over every result of the lookback, of which `recent_results` are the last. */
  results_in_lookback: { total: number; by_status: Record<string, number> };
  recent_results: AiResult[];
  last_healthy_at?: string;
  /** Incidents are complete from here on: "no incident since" is a claim the model may make. */
  history_since?: string;
  incidents: Array<{ opened_at: string; closed_at?: string; reason: string; message: string }>;
  co_failing: Array<{ check_id: string; name: string; reason?: string; shared: string[] }>;
  /** Checks sharing this one's endpoint, host, DNS name or resolver with no open incident. */
  healthy_sharing?: Array<{ check_id: string; name: string; shared: string[] }>;
  cert_expires_at?: string;
  maintenance: Array<{ id: string; start: string; end: string }>;
}

export interface AiFinding {
  rule: string;
  summary: string;
  probable_cause: string;
  evidence: string[];
  recommendations: string[];
  confidence: string;
}

/** Everything the AI provider is given about an alert. */
export interface AiEvidence {
  alert: {
    alertname: string;
    severity: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
    starts_at?: string;
  };
  checks: AiCheck[];
  sources: Array<{ source: string; available: boolean; note?: string }>;
  findings: AiFinding[];
  gathered_at?: string;
}

/** The evidence and the rule findings as the AI provider may see them: allowlisted, scrubbed and bounded. */
export function redactedEvidence(evidence: DiagnosisEvidence, findings: readonly Finding[]): AiEvidence {
  const { alert } = evidence;
  return {
    alert: {
      alertname: text(alert.alertname),
      severity: text(alert.severity),
      labels: namedValues(alert.labels),
      annotations: namedValues(alert.annotations),
      ...optional('starts_at', iso(alert.startsAt)),
    },
    checks: evidence.checks.map(redactedCheck),
    sources: evidence.sources.map(redactedSource),
    findings: findings.slice(0, FINDINGS).map(redactedFinding),
    ...optional('gathered_at', iso(evidence.at)),
  };
}

function redactedCheck(check: CheckEvidence): AiCheck {
  const byStatus: Record<string, number> = {};
  for (const result of check.recent) byStatus[text(result.status)] = (byStatus[text(result.status)] ?? 0) + 1;
  return {
    check_id: text(check.checkId),
    ...optional('name', optionalText(check.name)),
    ...optional('component', optionalText(check.component)),
    ...optional('service', optionalText(check.service)),
    ...optional('group', optionalText(check.group)),
    ...optional('target', check.target === undefined ? undefined : redactedTarget(check.target)),
    results_in_lookback: { total: check.recent.length, by_status: byStatus },
    recent_results: check.recent.slice(-RECENT_RESULTS).map(redactedResult),
    ...optional('last_healthy_at', iso(check.lastHealthyAt)),
    ...optional('history_since', iso(check.historySince)),
    incidents: check.incidents.slice(0, INCIDENTS).map((incident) => ({
      opened_at: iso(incident.openedAt) ?? 'unknown',
      ...optional('closed_at', iso(incident.closedAt)),
      reason: text(incident.reason),
      message: text(incident.message),
    })),
    co_failing: check.coFailing.slice(0, CO_FAILING).map((other) => ({
      check_id: text(other.checkId),
      name: text(other.name),
      ...optional('reason', optionalText(other.reason)),
      shared: other.shared.slice(0, ITEMS_PER_FINDING).map(text),
    })),
    ...optional(
      'healthy_sharing',
      check.healthySharing?.slice(0, CO_FAILING).map((other) => ({
        check_id: text(other.checkId),
        name: text(other.name),
        shared: other.shared.slice(0, ITEMS_PER_FINDING).map(text),
      })),
    ),
    ...optional('cert_expires_at', iso(check.certExpiresAt)),
    maintenance: check.maintenance.slice(0, MAINTENANCE_WINDOWS).map((window) => ({
      id: text(window.id),
      start: iso(window.start) ?? 'unknown',
      end: iso(window.end) ?? 'unknown',
    })),
  };
}

function redactedTarget(target: CheckTarget): AiTarget {
  return {
    type: text(target.type),
    ...optional('host', optionalText(target.host)),
    ...optional('port', finite(target.port)),
    ...optional('url', target.url === undefined ? undefined : bounded(scrubText(scrubUrl(target.url)))),
    ...optional('dns_name', optionalText(target.dnsName)),
    ...optional('record_type', optionalText(target.recordType)),
    ...optional('resolver', optionalText(target.resolver)),
    ...optional('server_name', optionalText(target.serverName)),
    ...optional('database', optionalText(target.database)),
  };
}

function redactedResult(result: ResultEvidence): AiResult {
  const phases: AiResult['phases_ms'] = {};
  for (const phase of PHASES) {
    const ms = finite(result.phases[phase]);
    if (ms !== undefined) phases[phase] = ms;
  }
  return {
    at: iso(result.at) ?? 'unknown',
    status: text(result.status),
    ...optional('reason', optionalText(result.reason)),
    message: text(result.message),
    duration_ms: finite(result.durationMs) ?? 0,
    ...optional('http_status', finite(result.httpStatus)),
    phases_ms: phases,
    ...optional('cert_expires_at', iso(result.certExpiresAt)),
  };
}

function redactedSource(note: EvidenceSourceNote): AiEvidence['sources'][number] {
  return {
    source: text(note.source),
    available: note.available === true,
    ...optional('note', optionalText(note.note)),
  };
}

function redactedFinding(finding: Finding): AiFinding {
  return {
    rule: text(finding.rule),
    summary: text(finding.summary),
    probable_cause: text(finding.probableCause),
    evidence: finding.evidence.slice(0, ITEMS_PER_FINDING).map(text),
    recommendations: finding.recommendations.slice(0, ITEMS_PER_FINDING).map(text),
    confidence: text(finding.confidence),
  };
}

function namedValues(values: Readonly<Record<string, string>>): Record<string, string> {
  const safe: Record<string, string> = {};
  for (const [name, value] of Object.entries(values).slice(0, LABELS)) {
    safe[bounded(scrubText(name))] = bounded(scrubNamedValue(name, String(value)));
  }
  return safe;
}

/** Scrubbed whole, then cut: cutting first could split a secret past the point its pattern recognises. */
function text(value: string): string {
  return bounded(scrubText(String(value)));
}

function optionalText(value: string | undefined): string | undefined {
  return value === undefined ? undefined : text(value);
}

function bounded(value: string): string {
  return value.length <= TEXT_LENGTH ? value : `${value.slice(0, TEXT_LENGTH - 1)}…`;
}

function finite(value: number | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Beyond this, `Date` cannot represent a time (and `toISOString` throws). */
const LAST_DATE_MS = 8.64e15;

function iso(ms: number | undefined): string | undefined {
  const value = finite(ms);
  return value === undefined || Math.abs(value) > LAST_DATE_MS ? undefined : new Date(value).toISOString();
}

/** `{ [key]: value }`, or nothing when the value is absent: the object sent carries no `undefined` keys. */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
