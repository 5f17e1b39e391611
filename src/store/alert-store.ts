// The AlertStore interface: what the receiver keeps durably about Alertmanager's alerts. It lives on the same
// database as the Store (same SQLite file, same PostgreSQL pool) and is reached through `store.alerts`. The store
// does not decide anything about alerts: ingest and lifecycle changes take a pure planner from the receiver and run
// it inside one transaction, against the alert as it is in the database, so two deliveries of the same alert (an
// Alertmanager retry, an HA pair) are decided one after the other. Times are Unix milliseconds.

import type {
  AlertChange,
  AlertEnrichment,
  AlertEvent,
  AlertRecord,
  AlertState,
  IncomingAlert,
  IncomingGroup,
  IncomingNotification,
} from '../model/alert.js';
import type { GroupState, NotificationPlan } from '../model/delivery.js';

export type IngestPlanner<Outcome extends string = string> = (
  latest: AlertRecord | undefined,
  incoming: IncomingAlert,
) => AlertChange<Outcome>;

/**
 * Decides what one webhook notification sends, once its alerts are written: `stored` is the group as last notified
 * (undefined for a group never seen), `alerts` the notification's alerts as they now stand, in its order. Undefined
 * leaves the group as it was and sends nothing.
 */
export type NotificationPlanner = (
  stored: GroupState | undefined,
  group: IncomingGroup,
  alerts: readonly AlertRecord[],
) => NotificationPlan | undefined;

/** What an ingest decides with: the alert state machine, and optionally enrichment and the notification planner. */
export interface IngestPlanners<Outcome extends string = string> {
  alert: IngestPlanner<Outcome>;
  enrichment?: IngestEnrichment;
  notification?: NotificationPlanner;
}

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

/** What one notification's ingest wrote: a change per alert, in order, and what it sends (when it is news). */
export interface AppliedNotification<Outcome extends string = string> {
  changes: Array<AppliedChange<Outcome>>;
  plan?: NotificationPlan;
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
   * Applies notifications in order, all in one transaction. For each alert of each, `planners.alert` sees the newest
   * alert with its fingerprint (the open one when there is one) and says what to write. With `enrichment`, every
   * alert written without an enrichment gets one in the same write, and `enrichment` hears of every alert rewritten;
   * the applied changes carry the alerts as written. With `notification`, each notification's group state is read
   * and planned after its alerts, and what it sends is written as outbox jobs. Resolves once it is durable.
   */
  ingest<Outcome extends string>(
    notifications: readonly IncomingNotification[],
    planners: IngestPlanners<Outcome>,
  ): Promise<Array<AppliedNotification<Outcome>>>;
  /**
   * Changes one alert in a transaction; undefined when there is no such alert. `plan` may throw to refuse. `observer`
   * hears of the rewrite (an ingest's enrichment, whose counts a closed or reopened alert changes).
   */
  change<Outcome extends string>(
    id: string,
    plan: (current: AlertRecord) => AlertChange<Outcome>,
    observer?: AlertWriteObserver,
  ): Promise<AppliedChange<Outcome> | undefined>;
  /**
   * Changes several alerts in one transaction, each as `change` would (undefined for one that does not exist): what
   * many small writes (a diagnosis per alert) cost as one.
   */
  changeEach<Outcome extends string>(
    changes: ReadonlyArray<{ id: string; plan: (current: AlertRecord) => AlertChange<Outcome> }>,
  ): Promise<Array<AppliedChange<Outcome> | undefined>>;
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
  /**
   * Deletes closed alerts (and their events and delivery links) that ended before `before`, and the notifications
   * accepted before it whose deliveries are all finished (see OutboxRetention); returns how many alerts.
   */
  prune(before: number): Promise<number>;
}

/**
 * The outbox's retention, which an alert store runs after pruning alerts, with the same cutoff: notifications accepted
 * before it none of whose jobs is pending or sending go, with their jobs, and so do resolved groups notified before it
 * that have no notification left. A job a worker may still take is never deleted.
 */
export interface OutboxRetention {
  /** Returns how many notifications went. */
  prune(before: number): Promise<number>;
}
