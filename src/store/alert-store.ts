// The AlertStore interface: what the receiver keeps durably about Alertmanager's alerts. It lives on the same
// database as the Store (same SQLite file, same PostgreSQL pool) and is reached through `store.alerts`. The store
// does not decide anything about alerts: ingest and lifecycle changes take a pure planner from the receiver and run
// it inside one transaction, against the alert as it is in the database, so two deliveries of the same alert (an
// Alertmanager retry, an HA pair) are decided one after the other; every backend writes what the planner returns
// through the same loop (alert-write-loop.ts). Times are Unix milliseconds.

import type { DeliveryRequest } from '../model/delivery.js';

export const ALERT_STATES = ['active', 'acknowledged', 'suppressed', 'resolved', 'expired'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

/** States in which an alert is still open: at most one open alert per fingerprint. */
export const OPEN_ALERT_STATES: readonly AlertState[] = ['active', 'acknowledged', 'suppressed'];

export function isOpen(state: AlertState): boolean {
  return OPEN_ALERT_STATES.includes(state);
}

/** Who did something to an alert, when, and why. */
export interface AlertAction {
  at: number;
  by: string;
  note?: string;
}

export interface Suppression extends AlertAction {
  until: number;
  /** The Alertmanager silence created for it, when Alertmanager is configured. */
  silenceId?: string;
}

export type Confidence = 'low' | 'medium' | 'high';

/** CONTRACT section 6. `pending` marks a placeholder written before any diagnosis ran. */
export interface AlertDiagnosis {
  summary: string;
  probable_cause: string | null;
  evidence: string[];
  recommendations: string[];
  confidence: Confidence;
  source: 'ai' | 'rules';
  pending?: boolean;
}

export type Priority = 'P1' | 'P2' | 'P3' | 'P4';

/**
 * What the receiver decided about an alert as it stored it: what depends on the moment (how many checks shared it)
 * and, once one has run, the diagnosis. Recommendations and links follow from the alert alone and are derived when
 * the alert is shown, so each alert row stays small. Rows written by older releases also carry those derived
 * fields; readers ignore them.
 */
export interface AlertEnrichment {
  priority: Priority;
  category: string;
  impact: string;
  /** Absent until a diagnosis has run. */
  diagnosis?: AlertDiagnosis;
  enrichedAt: number;
}

export interface AlertRecord {
  /** Stable and random: what every other table references. */
  id: string;
  fingerprint: string;
  state: AlertState;
  /** `alertname`, `severity` and `check` labels, or '' / absent: kept apart for filtering and counting. */
  alertname: string;
  severity: string;
  checkId?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  generatorUrl?: string;
  /** Of the newest notification: Alertmanager's receiver name, group key and external URL. */
  receiver?: string;
  groupKey?: string;
  externalUrl?: string;
  /** Alertmanager's startsAt of the first firing of this alert. */
  startsAt: number;
  /** startsAt of the newest firing counted into this alert (later than startsAt after repeats). */
  lastStartsAt: number;
  /** When it stopped: Alertmanager's endsAt, or when it was resolved by hand or expired. */
  endsAt?: number;
  durationMs?: number;
  /** When the receiver first and last heard of it; the TTL runs from lastSeenAt. */
  firstSeenAt: number;
  lastSeenAt: number;
  /** Firings counted into this alert: 1, plus one per new firing within the dedup window. */
  notificationCount: number;
  acknowledged?: AlertAction;
  /** `by` is `alertmanager` when Alertmanager resolved it. */
  resolved?: AlertAction;
  suppressed?: Suppression;
  /** Written with the alert by the receiver's ingest; absent on alerts stored without it, until they are enriched. */
  enrichment?: AlertEnrichment;
  updatedAt: number;
}

export type AlertEventKind =
  | 'fired'
  | 'refired'
  | 'reopened'
  | 'resolved'
  | 'acknowledged'
  | 'suppressed'
  | 'unsuppressed'
  | 'expired';

export type AlertEventSource = 'alertmanager' | 'user' | 'system';

export interface NewAlertEvent {
  alertId: string;
  at: number;
  kind: AlertEventKind;
  source: AlertEventSource;
  actor?: string;
  note?: string;
  /** People should hear about it: the deliveries of a later migration start from these. */
  notify: boolean;
  detail: Record<string, unknown>;
}

export interface AlertEvent extends NewAlertEvent {
  /** Increasing; never reused. */
  id: number;
}

/** One alert of one webhook notification, validated and normalised. */
export interface IncomingAlert {
  fingerprint: string;
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: number;
  /** Absent for firing alerts (Alertmanager sends the zero time). */
  endsAt?: number;
  generatorUrl?: string;
  receiver?: string;
  groupKey?: string;
  externalUrl?: string;
  /** When the receiver got it. */
  receivedAt: number;
}

/**
 * What a planner decided, as data: the rows to write (whole, by id), the events to append, the deliveries to enqueue
 * with them, and a word for metrics.
 */
export interface AlertChange<Outcome extends string = string> {
  writes: AlertRecord[];
  events: NewAlertEvent[];
  deliveries: DeliveryRequest[];
  outcome: Outcome;
}

export type IngestPlanner<Outcome extends string = string> = (
  latest: AlertRecord | undefined,
  incoming: IncomingAlert,
) => AlertChange<Outcome>;

/**
 * Told of every alert a transaction rewrites, with whether it was open before, and of every failed transaction: what
 * the receiver caches about the open alerts (see IngestEnrichment) then stays true.
 */
export interface AlertWriteObserver {
  rewritten(alert: AlertRecord, wasOpen: boolean): void;
  forgetAll(): void;
}

/** What an ingest's enrichment needs to know about one new alert before it is written, asked of the store. */
export interface CheckLookup {
  alert: AlertRecord;
  /** The alert's name and check (its fingerprint, without a check label), as stored. */
  name: string;
  check: string;
  /** Also count the distinct checks with an open alert of the name, up to this many. */
  countUpTo?: number;
}

/** What the store found for a CheckLookup, as the ingest transaction sees the alerts. */
export interface CheckFound {
  /** The name's count, when `countUpTo` asked for it. */
  count?: number;
  /** The check already had an open alert of the name. */
  checkOpen: boolean;
}

/**
 * What the receiver derives from a new alert (priority, impact), applied by the store to every alert an ingest writes
 * without one, inside the ingest transaction: each alert is written once, already enriched. The store answers the
 * lookups of a planned change, then writes the change `enrich` returns.
 */
export interface IngestEnrichment extends AlertWriteObserver {
  lookups(change: AlertChange): CheckLookup[];
  /** `found` answers `lookups` in order. */
  enrich<Outcome extends string>(
    change: AlertChange<Outcome>,
    lookups: readonly CheckLookup[],
    found: readonly CheckFound[],
  ): AlertChange<Outcome>;
}

export interface AppliedChange<Outcome extends string = string> {
  outcome: Outcome;
  alerts: AlertRecord[];
  events: AlertEvent[];
}

export interface AlertQuery {
  states?: readonly AlertState[];
  severity?: string;
  checkId?: string;
  /** Alerts that started at or after this. */
  since?: number;
  /** Keyset pagination: alerts strictly before this one in the order (startsAt desc, id desc). */
  before?: { startsAt: number; id: string };
  limit: number;
}

export interface AlertCount {
  state: AlertState;
  severity: string;
  alertname: string;
  count: number;
}

export interface AlertStore {
  /**
   * Applies the alerts of one notification in order, all in one transaction: for each, `plan` sees the newest alert
   * with its fingerprint (the open one when there is one) and says what to write. With `enrichment`, every alert
   * written without an enrichment gets one in the same write, and `enrichment` hears of every alert rewritten; the
   * applied changes carry the alerts as written. Resolves once it is durable.
   */
  ingest<Outcome extends string>(
    incoming: readonly IncomingAlert[],
    plan: IngestPlanner<Outcome>,
    enrichment?: IngestEnrichment,
  ): Promise<Array<AppliedChange<Outcome>>>;
  /**
   * Changes one alert in a transaction; undefined when there is no such alert. `plan` may throw to refuse. `observer`
   * hears of the rewrite (an ingest's enrichment, whose counts a closed or reopened alert changes).
   */
  change<Outcome extends string>(
    id: string,
    plan: (current: AlertRecord) => AlertChange<Outcome>,
    observer?: AlertWriteObserver,
  ): Promise<AppliedChange<Outcome> | undefined>;
  get(id: string): Promise<AlertRecord | undefined>;
  /** An alert's events, oldest first. */
  events(alertId: string): Promise<AlertEvent[]>;
  /** Newest first by (startsAt, id). */
  list(query: AlertQuery): Promise<AlertRecord[]>;
  /** Alerts that started in [from, to), oldest first, at most `limit`. */
  startedBetween(from: number, to: number, limit: number): Promise<AlertRecord[]>;
  /** Alerts by state, severity and alertname; only the given states when set. */
  counts(states?: readonly AlertState[]): Promise<AlertCount[]>;
  /** Distinct checks (or fingerprints, without a check label) with an open alert of this name, counted up to `cap`. */
  affectedChecks(alertname: string, cap: number): Promise<number>;
  /**
   * Alerts a timer must move on, at most `limit`: active or acknowledged ones not seen since `lastSeenBefore`, and
   * suppressed ones whose suppression ended by `suppressedUntil`.
   */
  dueForTimeout(lastSeenBefore: number, suppressedUntil: number, limit: number): Promise<AlertRecord[]>;
  /** Alerts stored without enrichment (by an ingest without one, or an older Vigil), oldest first. */
  pendingEnrichment(limit: number): Promise<AlertRecord[]>;
  /** Sets the enrichment of each alert (and nothing else, so it never undoes a state change). */
  saveEnrichments(enrichments: ReadonlyArray<{ id: string; enrichment: AlertEnrichment }>): Promise<void>;
  /** Deletes closed alerts (and their events) that ended before `before`; returns how many. */
  prune(before: number): Promise<number>;
}
