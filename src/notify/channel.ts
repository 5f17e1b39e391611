// The one interface every notification channel implements (email, SMS, Slack, webhook, console...): a pure render
// from a notification to the channel's own message, and a thin send that only answers "did it go, and is another try
// worth it?". Leases, backoff, attempt limits and metrics belong to the outbox worker, once for every channel.

import type { Notification } from '../model/notification.js';

/** What one send attempt came to. */
export type SendOutcome =
  /** Accepted by the provider; `providerId` is its id for the message when it gives one (Slack gives none). */
  | { kind: 'sent'; providerId?: string }
  /** Worth trying again: after `afterMs` when the provider said so (Retry-After), else on the worker's backoff. */
  | { kind: 'retry'; reason: string; afterMs?: number }
  /** Another try would fail the same way (bad address, bad credentials, a payload the provider refuses). */
  | { kind: 'dead'; reason: string };

export interface SendOptions {
  /** Aborted when the attempt's time is up or the process stops: the send gives up and answers `retry`. */
  signal: AbortSignal;
}

export interface Channel<Message> {
  /** The name routes use (`slack`, `email`, `sms`, `webhook`, `console`). */
  readonly name: string;
  /** The message for one recipient (an address, a number; none for a channel with one destination). Pure. */
  render(notification: Notification, recipient?: string): Message;
  send(message: Message, options: SendOptions): Promise<SendOutcome>;
  /** Lets go of what the channel keeps open between sends (a pool of connections); called once, after the last. */
  close?(): void;
}
