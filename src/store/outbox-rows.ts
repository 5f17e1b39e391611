// Row mapping of the outbox tables (migration 7), shared by both backends: the values written for a group's state, a
// notification and its jobs, what a worker's result sets, and the records built back from rows. PostgreSQL returns
// BIGINT as a string; text goes through dbText because PostgreSQL refuses NUL.

import type {
  ClaimedDelivery,
  DeliveryRecord,
  DeliveryResult,
  DeliveryState,
  GroupState,
  PlannedNotification,
} from '../model/delivery.js';
import { listedAlert, type Notification, type NotificationAlert } from '../model/notification.js';
import { type AlertRow, type DbInteger, alertFromRow, dbText } from './alert-rows.js';

/** A failure reason is a provider's answer, possibly a whole response body: the delivery log keeps its start. */
const MAX_ERROR_LENGTH = 2_000;

export interface GroupRow {
  group_key: string;
  state_key: string;
  status: string;
  sequence: number;
  notified_at: DbInteger;
  firing_since: DbInteger | null;
}

export interface JobRow {
  id: DbInteger;
  notification_id: string;
  channel: string;
  recipient: string | null;
  state: string;
  attempts: number;
  accepted_at: DbInteger;
  next_attempt_at: DbInteger | null;
  lease_until: DbInteger | null;
  last_error: string | null;
  sent_at: DbInteger | null;
  provider_id: string | null;
}

/** A job a claim took, with its notification's body. */
export type ClaimedRow = Pick<JobRow, 'id' | 'attempts' | 'channel' | 'recipient' | 'accepted_at'> & { body: string };

/** The states no worker will touch again: what retention may delete. */
export const FINISHED_STATES: readonly DeliveryState[] = ['sent', 'dead', 'unconfigured'];

/** Group keys are stored, locked and looked up in this form (PostgreSQL refuses NUL even in a lock's key). */
export const storedGroupKey = dbText;

export const GROUP_COLUMNS = ['group_key', 'state_key', 'status', 'sequence', 'notified_at', 'firing_since'] as const;

export function groupValues(group: GroupState): unknown[] {
  return [
    storedGroupKey(group.groupKey),
    dbText(group.stateKey),
    group.status,
    group.sequence,
    group.notifiedAt,
    group.firingSince ?? null,
  ];
}

export function groupFromRow(row: GroupRow): GroupState {
  const group: GroupState = {
    groupKey: row.group_key,
    stateKey: row.state_key,
    status: row.status as GroupState['status'],
    sequence: row.sequence,
    notifiedAt: Number(row.notified_at),
  };
  if (row.firing_since !== null) group.firingSince = Number(row.firing_since);
  return group;
}

export const NOTIFICATION_COLUMNS = ['id', 'group_key', 'state_key', 'accepted_at', 'body'] as const;

/** A job as enqueued: a pending one is due at once, an unconfigured one never. */
export interface NewJob {
  channel: string;
  recipient: string | null;
  state: DeliveryState;
  nextAttemptAt: number | null;
  /** Why an unconfigured destination cannot send. */
  lastError: string | null;
}

/** What enqueueing a planned notification writes. */
export interface EnqueuedRows {
  /** In NOTIFICATION_COLUMNS order. */
  notification: unknown[];
  /** The alerts it lists, each once. */
  alertIds: string[];
  jobs: NewJob[];
}

/** An alert a stored notification lists: the rest of it is its row in `alerts` (a link keeps the row while listed). */
interface ListedAlertRef {
  id: string;
  status: NotificationAlert['status'];
}

/** A notification as stored: as the channels see it, but its alerts by reference. */
type StoredNotification = Omit<Notification, 'alerts'> & { alerts: (ListedAlertRef | NotificationAlert)[] };

/**
 * The body of a notification: its alerts by id and status only. Their labels and annotations are already in their
 * rows, written by the same transaction; written again here they were most of the bytes it wrote. JSON.stringify
 * escapes NUL and lone surrogates, so the body is fit for both databases as it is.
 */
function storedBody(notification: Notification): string {
  const stored: StoredNotification = {
    ...notification,
    alerts: notification.alerts.map(({ id, status }) => ({ id, status })),
  };
  return JSON.stringify(stored);
}

export function enqueuedRows(planned: PlannedNotification, acceptedAt: number): EnqueuedRows {
  const { notification } = planned;
  return {
    notification: [
      planned.id,
      storedGroupKey(notification.groupKey),
      dbText(notification.stateKey),
      acceptedAt,
      storedBody(notification),
    ],
    alertIds: [...new Set(planned.alertIds)],
    jobs: planned.destinations.map((destination) => ({
      channel: destination.channel,
      recipient: destination.recipient === undefined ? null : dbText(destination.recipient),
      state: destination.state,
      nextAttemptAt: destination.state === 'pending' ? acceptedAt : null,
      lastError:
        destination.state === 'unconfigured' && destination.reason !== undefined ? dbText(destination.reason) : null,
    })),
  };
}

/** What an attempt's result sets on its job; the lease ends with it, and a success keeps the last failure's reason. */
export interface FinishedJob {
  state: DeliveryState;
  nextAttemptAt: number | null;
  lastError: string | null;
  sentAt: number | null;
  providerId: string | null;
}

export function finishedJob(result: DeliveryResult): FinishedJob {
  switch (result.kind) {
    case 'sent':
      return {
        state: 'sent',
        nextAttemptAt: null,
        lastError: null,
        sentAt: result.at,
        providerId: result.providerId === undefined ? null : dbText(result.providerId),
      };
    case 'retry':
      return {
        state: 'pending',
        nextAttemptAt: result.nextAttemptAt,
        lastError: errorText(result.error),
        sentAt: null,
        providerId: null,
      };
    case 'dead':
      return { state: 'dead', nextAttemptAt: null, lastError: errorText(result.error), sentAt: null, providerId: null };
  }
}

const errorText = (error: string): string => dbText(error.slice(0, MAX_ERROR_LENGTH));

export function deliveryFromRow(row: JobRow): DeliveryRecord {
  const record: DeliveryRecord = {
    id: Number(row.id),
    notificationId: row.notification_id,
    channel: row.channel,
    state: row.state as DeliveryState,
    attempts: row.attempts,
    acceptedAt: Number(row.accepted_at),
  };
  if (row.recipient !== null) record.recipient = row.recipient;
  if (row.next_attempt_at !== null) record.nextAttemptAt = Number(row.next_attempt_at);
  if (row.last_error !== null) record.lastError = row.last_error;
  if (row.sent_at !== null) record.sentAt = Number(row.sent_at);
  if (row.provider_id !== null) record.providerId = row.provider_id;
  return record;
}

/** Claimed jobs with their stored notifications, and the alerts those list by reference (to read from their rows). */
export interface ClaimedBodies {
  jobs: { row: ClaimedRow; stored: StoredNotification }[];
  alertIds: string[];
}

export function claimedBodies(rows: readonly ClaimedRow[]): ClaimedBodies {
  const jobs = rows.map((row) => ({ row, stored: JSON.parse(row.body) as StoredNotification }));
  const alertIds = new Set<string>();
  for (const { stored } of jobs) for (const alert of stored.alerts) if (!('labels' in alert)) alertIds.add(alert.id);
  return { jobs, alertIds: [...alertIds] };
}

/**
 * The claimed jobs, oldest first, each with its notification as the channels see it: every alert it lists from the
 * alert's row now (its latest annotations, priority and diagnosis), with the status it had in the notification. A
 * notification written by an older Vigil carries its alerts whole. An alert whose row is gone (retention deleted it)
 * is left out of the message.
 */
export function claimedDeliveries(bodies: ClaimedBodies, alertRows: readonly AlertRow[]): ClaimedDelivery[] {
  const alerts = new Map(alertRows.map((row) => [row.id, alertFromRow(row)]));
  return bodies.jobs
    .map(({ row, stored }) => {
      const listed = stored.alerts.flatMap((alert): NotificationAlert[] => {
        if ('labels' in alert) return [alert];
        const record = alerts.get(alert.id);
        return record === undefined ? [] : [listedAlert(record, alert.status)];
      });
      const claimed: ClaimedDelivery = {
        id: Number(row.id),
        attempt: row.attempts,
        channel: row.channel,
        acceptedAt: Number(row.accepted_at),
        notification: { ...stored, alerts: listed },
      };
      if (row.recipient !== null) claimed.recipient = row.recipient;
      return claimed;
    })
    .sort(oldestFirst);
}

/** Oldest accepted first, as a claim hands jobs out (RETURNING keeps no order). */
function oldestFirst(a: ClaimedDelivery, b: ClaimedDelivery): number {
  return a.acceptedAt - b.acceptedAt || a.id - b.id;
}
