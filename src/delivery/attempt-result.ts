// What the outbox records for one attempt (pure): the channel's answer turned into a DeliveryResult. A retry waits
// for the provider's Retry-After when it gave one, else for the full-jitter backoff; past the channel's attempt
// limit or age limit a retry becomes dead, keeping the last reason, so a job never retries forever.

import type { SendOutcome } from '../notify/channel.js';
import { formatDuration } from '../notify/format.js';
import type { ClaimedDelivery, DeliveryResult } from '../model/delivery.js';
import type { ChannelPolicy } from '../model/routing.js';
import { fullJitterBackoff } from './backoff.js';

/**
 * What an attempt came to: the channel's answer, or `interrupted` when the worker stopped before the send finished.
 * An interrupted attempt says nothing about the channel, so it is retried at once and no limit applies to it.
 */
export type AttemptOutcome = SendOutcome | { kind: 'interrupted'; reason: string };

export interface AttemptContext {
  job: Pick<ClaimedDelivery, 'attempt' | 'acceptedAt'>;
  policy: ChannelPolicy;
  now: number;
  random: () => number;
}

export function attemptResult(outcome: AttemptOutcome, { job, policy, now, random }: AttemptContext): DeliveryResult {
  switch (outcome.kind) {
    case 'sent':
      return { kind: 'sent', at: now, ...(outcome.providerId === undefined ? {} : { providerId: outcome.providerId }) };
    case 'dead':
      return { kind: 'dead', at: now, error: outcome.reason };
    case 'interrupted':
      return { kind: 'retry', at: now, nextAttemptAt: now, error: outcome.reason };
    case 'retry': {
      const givenUp = givenUpReason(job, policy, now);
      if (givenUp !== undefined) return { kind: 'dead', at: now, error: `${givenUp}: ${outcome.reason}` };
      const waitMs = outcome.afterMs ?? fullJitterBackoff(job.attempt, policy, random);
      return { kind: 'retry', at: now, nextAttemptAt: now + waitMs, error: outcome.reason };
    }
  }
}

/** Why a job that failed again is not retried, or undefined while it may be. */
function givenUpReason(job: AttemptContext['job'], policy: ChannelPolicy, now: number): string | undefined {
  const attempts = `${job.attempt} attempt${job.attempt === 1 ? '' : 's'}`;
  if (job.attempt >= policy.maxAttempts) return `gave up after ${attempts}`;
  if (now - job.acceptedAt >= policy.maxAgeMs) {
    return `gave up after ${attempts} (not sent within ${formatDuration(policy.maxAgeMs)})`;
  }
  return undefined;
}
