// An alert as the receiver keeps it: Alertmanager's alert with its identity, lifecycle state, who acted on it, the
// priority and diagnosis the receiver added, and the events of its history. Also what one webhook alert looks like
// once validated, and what the receiver's pure planners decide (AlertChange), which the store applies in a
// transaction. Times are Unix milliseconds.

import type { AlertDiagnosis } from './diagnosis.js';

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
  /**
   * The firing the diagnosis is of (the alert's `lastStartsAt` when it ran): a refiring is a new state of the alert
   * and is diagnosed again.
   */
  diagnosedStartsAt?: number;
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
  'fired' | 'refired' | 'reopened' | 'resolved' | 'acknowledged' | 'suppressed' | 'unsuppressed' | 'expired';

export type AlertEventSource = 'alertmanager' | 'user' | 'system';

export interface NewAlertEvent {
  alertId: string;
  at: number;
  kind: AlertEventKind;
  source: AlertEventSource;
  actor?: string;
  note?: string;
  /** A change people would want to hear of (a firing, a resolution); the alert's history shows it. */
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

/** What Alertmanager said of the group as a whole, in one webhook notification. */
export interface IncomingGroup {
  /** Alertmanager's group key; absent only from hand-made payloads. */
  groupKey?: string;
  status: 'firing' | 'resolved';
  receiver?: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalUrl?: string;
  /** Alerts Alertmanager left out (its max_alerts). */
  truncatedAlerts: number;
  receivedAt: number;
}

/** One webhook notification, validated: the group and its alerts. */
export interface IncomingNotification {
  group: IncomingGroup;
  alerts: IncomingAlert[];
}

/** What a planner decided: the rows to write (whole, by id), the events to append and a word for metrics. */
export interface AlertChange<Outcome extends string = string> {
  writes: AlertRecord[];
  events: NewAlertEvent[];
  outcome: Outcome;
}

/** What one incoming alert did to the stored ones (receiver/ingest/alert-state.ts decides it). */
export const INGEST_OUTCOMES = ['new', 'duplicate', 'stale', 'refired', 'reopened', 'resolved'] as const;
export type IngestOutcome = (typeof INGEST_OUTCOMES)[number];
