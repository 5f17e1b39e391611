// The OutboxStore interface: the durable queue of messages the receiver owes people. Jobs are written by the alert
// write path (store/alert-write-loop.ts) in the transaction that accepts a notification; this is the worker's side:
// take due jobs under a lease, record what each attempt came to, and the reads behind the delivery log and the
// outbox gauge. It lives on the same database as the alerts and is reached through `store.outbox`. Times are Unix
// milliseconds.

import type { ClaimedDelivery, DeliveryRecord, DeliveryResult, DeliveryState } from '../model/delivery.js';

export interface OutboxCount {
  channel: string;
  state: DeliveryState;
  count: number;
}

export interface OutboxStore {
  /**
   * Takes up to `limit` of a channel's earliest-due jobs, returned oldest accepted first: pending ones whose next
   * attempt is due, and sending ones whose lease ran out (their worker died). Each taken job is `sending`, leased until
   * `now + leaseMs`, with one more attempt counted. Two workers never take the same job while its lease holds.
   */
  claim(channel: string, now: number, leaseMs: number, limit: number): Promise<ClaimedDelivery[]>;
  /**
   * Records what an attempt came to. `attempt` is the one the claim handed out: when the job was taken again since
   * (its lease ran out), nothing is written and it answers false.
   */
  finish(id: number, attempt: number, result: DeliveryResult): Promise<boolean>;
  /** When the channel's next pending job falls due, or the earliest lease of its sending ones ends; undefined when none waits. */
  nextDue(channel: string): Promise<number | undefined>;
  /** Pending, sending and dead jobs by channel and state (only the pairs that have any); each from its own index. */
  counts(): Promise<OutboxCount[]>;
  /** The deliveries of every notification that listed the alert, oldest first. */
  deliveriesOf(alertId: string): Promise<DeliveryRecord[]>;
}
