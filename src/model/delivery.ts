// Deliveries: who hears of an alert group, and what became of each message. The receiver's notification planner
// decides, inside the ingest transaction, whether an Alertmanager notification is news (the group's set of firing
// alerts changed, or a reminder is due) and, if so, which destinations it goes to; the store writes the notification
// and one outbox job per destination in that same transaction, so a 200 to Alertmanager means the messages will go
// out. The outbox worker then sends each job through its channel.

import type { Notification } from './notification.js';

/** Where one message goes: a channel and, for a channel that sends to several, one recipient. */
export interface Destination {
  /** The channel as routes name it (`email`, `slack`, `sms`, `webhook`, `console`). */
  channel: string;
  /** An address or a number; absent for a channel with one destination (Slack's webhook, the console). */
  recipient?: string;
}

/**
 * A job's life: `pending` until a worker takes it (again after a retryable failure), `sending` while a worker holds
 * its lease, then `sent` or `dead`. `unconfigured` is written at once for a destination whose channel has no
 * credentials: the delivery log says so and no worker ever takes it.
 */
export const DELIVERY_STATES = ['pending', 'sending', 'sent', 'dead', 'unconfigured'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/**
 * The states the outbox gauge reports: jobs waiting, in flight, or given up. Sent and unconfigured jobs are the bulk
 * of the table (kept for the delivery log until retention) and are counted as they happen by the notifications
 * counter instead, so a scrape never reads the whole table.
 */
export const LIVE_DELIVERY_STATES = ['pending', 'sending', 'dead'] as const satisfies readonly DeliveryState[];

/** What the store remembers of an alert group: the state last notified, so a re-delivery of it sends nothing. */
export interface GroupState {
  /** Alertmanager's group key. */
  groupKey: string;
  /** The firing set (and status) last notified: the same key again is a re-delivery. */
  stateKey: string;
  status: 'firing' | 'resolved';
  /** Counts the group's notifications: part of each message's identity, so a later refiring is a new message. */
  sequence: number;
  /** When the group was last notified (a reminder is due from here). */
  notifiedAt: number;
  /** When the group's current firing began to be notified (for a resolved notice's duration). */
  firingSince?: number;
}

/** A destination of a planned notification; an unconfigured one says what to set, and the delivery log shows it. */
export interface PlannedDestination extends Destination {
  state: 'pending' | 'unconfigured';
  /** Why it cannot send (`set SMTP_HOST`); only for `unconfigured`. */
  reason?: string;
}

/** A notification the planner decided to send, with its destinations. */
export interface PlannedNotification {
  /** Unique; names the notification's jobs in the delivery log. */
  id: string;
  notification: Notification;
  /** Every alert the notification lists, so each alert's delivery log can find it. */
  alertIds: readonly string[];
  destinations: ReadonlyArray<PlannedDestination>;
}

/** What the planner decided for one incoming notification: the group's new state, and what to send, if anything. */
export interface NotificationPlan {
  group: GroupState;
  send?: PlannedNotification;
}

/** One delivery as the admin API shows it. */
export interface DeliveryRecord {
  id: number;
  notificationId: string;
  channel: string;
  recipient?: string;
  state: DeliveryState;
  /** Attempts started so far. */
  attempts: number;
  /** When the receiver accepted the notification (Unix milliseconds). */
  acceptedAt: number;
  /** When a pending job is next tried. */
  nextAttemptAt?: number;
  lastError?: string;
  sentAt?: number;
  /** The provider's id for the message (SMTP's queue id, Twilio's message SID), when it gives one. */
  providerId?: string;
}

/** A job a worker has taken: it holds the job's lease until it records the attempt's result. */
export interface ClaimedDelivery {
  id: number;
  /** Attempts including this one; recording a result names it, so a worker that lost its lease writes nothing. */
  attempt: number;
  channel: string;
  recipient?: string;
  acceptedAt: number;
  notification: Notification;
}

/** What an attempt came to, as the worker records it. */
export type DeliveryResult =
  | { kind: 'sent'; at: number; providerId?: string }
  | { kind: 'retry'; at: number; nextAttemptAt: number; error: string }
  | { kind: 'dead'; at: number; error: string };
