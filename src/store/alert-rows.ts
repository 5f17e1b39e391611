// Row mapping of the alert tables, shared by both alert stores: the column values written for an alert or an event,
// and the records built back from rows. PostgreSQL returns BIGINT as a string and booleans as booleans; SQLite
// returns numbers for both. Every text column goes through `storableText` semantics here: PostgreSQL refuses NUL.

import {
  type AlertEnrichment,
  type AlertEvent,
  type AlertRecord,
  type AlertState,
  type NewAlertEvent,
  OPEN_ALERT_STATES,
} from '../model/alert.js';

/** The condition that a row is an open alert, the same in both databases: the partial indexes are built on it. */
export const OPEN_SQL = `state IN (${OPEN_ALERT_STATES.map((state) => `'${state}'`).join(', ')})`;

export type DbInteger = number | string;

export interface AlertRow {
  id: string;
  fingerprint: string;
  state: string;
  alertname: string;
  severity: string;
  check_id: string | null;
  labels: string;
  annotations: string;
  generator_url: string | null;
  receiver: string | null;
  group_key: string | null;
  external_url: string | null;
  starts_at: DbInteger;
  last_starts_at: DbInteger;
  ends_at: DbInteger | null;
  duration_ms: DbInteger | null;
  first_seen_at: DbInteger;
  last_seen_at: DbInteger;
  notification_count: number;
  acknowledged_at: DbInteger | null;
  acknowledged_by: string | null;
  acknowledged_note: string | null;
  resolved_at: DbInteger | null;
  resolved_by: string | null;
  resolved_note: string | null;
  suppressed_at: DbInteger | null;
  suppressed_by: string | null;
  suppressed_note: string | null;
  suppressed_until: DbInteger | null;
  silence_id: string | null;
  enrichment: string | null;
  updated_at: DbInteger;
}

export interface AlertEventRow {
  id: DbInteger;
  alert_id: string;
  at: DbInteger;
  kind: string;
  source: string;
  actor: string | null;
  note: string | null;
  notify: number | boolean;
  detail: string;
}

/** Columns of `alerts` in table order: the PostgreSQL store binds by position. */
export const ALERT_COLUMNS = [
  'id',
  'fingerprint',
  'state',
  'alertname',
  'severity',
  'check_id',
  'labels',
  'annotations',
  'generator_url',
  'receiver',
  'group_key',
  'external_url',
  'starts_at',
  'last_starts_at',
  'ends_at',
  'duration_ms',
  'first_seen_at',
  'last_seen_at',
  'notification_count',
  'acknowledged_at',
  'acknowledged_by',
  'acknowledged_note',
  'resolved_at',
  'resolved_by',
  'resolved_note',
  'suppressed_at',
  'suppressed_by',
  'suppressed_note',
  'suppressed_until',
  'silence_id',
  'enrichment',
  'updated_at',
] as const satisfies ReadonlyArray<keyof AlertRow>;

export type AlertColumn = (typeof ALERT_COLUMNS)[number];

/**
 * The columns whose values differ between two versions of a row. Writing only those keeps an update from touching
 * indexes whose columns did not change: a repeat that only moves `last_seen_at` rewrites one value, not the row.
 */
export function changedColumns(before: AlertRow, after: AlertRow): AlertColumn[] {
  return ALERT_COLUMNS.filter((column) => column !== 'id' && before[column] !== after[column]);
}

export const EVENT_COLUMNS = ['alert_id', 'at', 'kind', 'source', 'actor', 'note', 'notify', 'detail'] as const;

/** Text fit for both databases: no NUL (PostgreSQL refuses it) and no lone surrogate. */
export function dbText(text: string): string {
  const clean = text.includes('\u0000') ? text.replaceAll('\u0000', '\uFFFD') : text;
  return SURROGATE.test(clean) ? clean.replace(LONE_SURROGATE, '\uFFFD') : clean;
}

const SURROGATE = /[\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const optionalText = (text: string | undefined): string | null => (text === undefined ? null : dbText(text));
/** JSON.stringify already escapes NUL and lone surrogates, so its text is fit for both databases as it is. */
const json = (value: unknown): string => JSON.stringify(value);

export function alertRow(alert: AlertRecord): AlertRow {
  return {
    id: alert.id,
    fingerprint: dbText(alert.fingerprint),
    state: alert.state,
    alertname: dbText(alert.alertname),
    severity: dbText(alert.severity),
    check_id: optionalText(alert.checkId),
    labels: json(alert.labels),
    annotations: json(alert.annotations),
    generator_url: optionalText(alert.generatorUrl),
    receiver: optionalText(alert.receiver),
    group_key: optionalText(alert.groupKey),
    external_url: optionalText(alert.externalUrl),
    starts_at: alert.startsAt,
    last_starts_at: alert.lastStartsAt,
    ends_at: alert.endsAt ?? null,
    duration_ms: alert.durationMs ?? null,
    first_seen_at: alert.firstSeenAt,
    last_seen_at: alert.lastSeenAt,
    notification_count: alert.notificationCount,
    acknowledged_at: alert.acknowledged?.at ?? null,
    acknowledged_by: optionalText(alert.acknowledged?.by),
    acknowledged_note: optionalText(alert.acknowledged?.note),
    resolved_at: alert.resolved?.at ?? null,
    resolved_by: optionalText(alert.resolved?.by),
    resolved_note: optionalText(alert.resolved?.note),
    suppressed_at: alert.suppressed?.at ?? null,
    suppressed_by: optionalText(alert.suppressed?.by),
    suppressed_note: optionalText(alert.suppressed?.note),
    suppressed_until: alert.suppressed?.until ?? null,
    silence_id: optionalText(alert.suppressed?.silenceId),
    enrichment: alert.enrichment === undefined ? null : json(alert.enrichment),
    updated_at: alert.updatedAt,
  };
}

const num = (value: DbInteger): number => Number(value);
const optionalNum = (value: DbInteger | null): number | undefined => (value === null ? undefined : Number(value));

function action(at: DbInteger | null, by: string | null, note: string | null) {
  if (at === null || by === null) return undefined;
  return { at: Number(at), by, ...(note === null ? {} : { note }) };
}

export function alertFromRow(row: AlertRow): AlertRecord {
  const acknowledged = action(row.acknowledged_at, row.acknowledged_by, row.acknowledged_note);
  const resolved = action(row.resolved_at, row.resolved_by, row.resolved_note);
  const suppressedAction = action(row.suppressed_at, row.suppressed_by, row.suppressed_note);
  const alert: AlertRecord = {
    id: row.id,
    fingerprint: row.fingerprint,
    state: row.state as AlertState,
    alertname: row.alertname,
    severity: row.severity,
    labels: JSON.parse(row.labels) as Record<string, string>,
    annotations: JSON.parse(row.annotations) as Record<string, string>,
    startsAt: num(row.starts_at),
    lastStartsAt: num(row.last_starts_at),
    firstSeenAt: num(row.first_seen_at),
    lastSeenAt: num(row.last_seen_at),
    notificationCount: row.notification_count,
    updatedAt: num(row.updated_at),
  };
  if (row.check_id !== null) alert.checkId = row.check_id;
  if (row.generator_url !== null) alert.generatorUrl = row.generator_url;
  if (row.receiver !== null) alert.receiver = row.receiver;
  if (row.group_key !== null) alert.groupKey = row.group_key;
  if (row.external_url !== null) alert.externalUrl = row.external_url;
  const endsAt = optionalNum(row.ends_at);
  if (endsAt !== undefined) alert.endsAt = endsAt;
  const durationMs = optionalNum(row.duration_ms);
  if (durationMs !== undefined) alert.durationMs = durationMs;
  if (acknowledged) alert.acknowledged = acknowledged;
  if (resolved) alert.resolved = resolved;
  if (suppressedAction && row.suppressed_until !== null) {
    alert.suppressed = {
      ...suppressedAction,
      until: Number(row.suppressed_until),
      ...(row.silence_id === null ? {} : { silenceId: row.silence_id }),
    };
  }
  if (row.enrichment !== null) alert.enrichment = JSON.parse(row.enrichment) as AlertEnrichment;
  return alert;
}

/** An alert row's values in ALERT_COLUMNS order, for the inserts that bind by position. */
export function alertValues(row: AlertRow): unknown[] {
  return ALERT_COLUMNS.map((column) => row[column]);
}

/** An event's values in EVENT_COLUMNS order, bound by position; `notify` as the backend wants booleans. */
export function eventValues(event: NewAlertEvent, bool: (value: boolean) => number | boolean): unknown[] {
  return [
    event.alertId,
    event.at,
    event.kind,
    event.source,
    optionalText(event.actor),
    optionalText(event.note),
    bool(event.notify),
    json(event.detail),
  ];
}

export function eventFromRow(row: AlertEventRow): AlertEvent {
  return {
    id: Number(row.id),
    alertId: row.alert_id,
    at: Number(row.at),
    kind: row.kind as AlertEvent['kind'],
    source: row.source as AlertEvent['source'],
    ...(row.actor === null ? {} : { actor: row.actor }),
    ...(row.note === null ? {} : { note: row.note }),
    notify: row.notify === true || row.notify === 1,
    detail: JSON.parse(row.detail) as Record<string, unknown>,
  };
}
