// One attempt at one job: render the message for its recipient, send it with a signal that fires at the channel's
// timeout or when the worker stops, and say what came of it. The attempt never throws and never outlives its signal:
// a send that ignores the signal is left behind (its job's lease still guards it), so one stuck provider can hold
// neither its channel's loop nor a shutdown.

import type { Channel } from '../notify/channel.js';
import type { ClaimedDelivery } from '../model/delivery.js';
import type { AttemptOutcome } from './attempt-result.js';

export interface SendAttemptOptions {
  channel: Channel<unknown>;
  job: Pick<ClaimedDelivery, 'notification' | 'recipient'>;
  /** The attempt's time at most. */
  timeoutMs: number;
  /** Fires when the worker stops. */
  stopSignal: AbortSignal;
}

const STOPPED = 'the worker stopped before the send finished';

export async function sendAttempt({
  channel,
  job,
  timeoutMs,
  stopSignal,
}: SendAttemptOptions): Promise<AttemptOutcome> {
  let message: unknown;
  try {
    message = channel.render(job.notification, job.recipient);
  } catch (error) {
    // Rendering is pure: the same notification fails the same way on every attempt.
    return { kind: 'dead', reason: `could not render the message: ${errorMessage(error)}` };
  }
  if (stopSignal.aborted) return { kind: 'interrupted', reason: STOPPED };

  const controller = new AbortController();
  let abortOutcome: AttemptOutcome | undefined;
  const abort = (outcome: AttemptOutcome): void => {
    abortOutcome ??= outcome;
    controller.abort();
  };
  const onStop = (): void => abort({ kind: 'interrupted', reason: STOPPED });
  stopSignal.addEventListener('abort', onStop, { once: true });
  const timer = setTimeout(() => abort({ kind: 'retry', reason: `timed out after ${timeoutMs} ms` }), timeoutMs);

  const aborted = new Promise<AttemptOutcome>((resolve) => {
    controller.signal.addEventListener('abort', () => resolve(abortOutcome!), { once: true });
  });
  const answered = Promise.resolve()
    .then(() => channel.send(message, { signal: controller.signal }))
    .catch((error: unknown): AttemptOutcome => ({ kind: 'retry', reason: errorMessage(error) }));
  try {
    const outcome = await Promise.race([answered, aborted]);
    // A send that noticed the abort answers `retry` with a reason of its own; the worker knows the better one. A
    // `sent` stays sent even when the abort came just after it.
    return outcome.kind === 'retry' && abortOutcome !== undefined ? abortOutcome : outcome;
  } finally {
    clearTimeout(timer);
    stopSignal.removeEventListener('abort', onStop);
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
