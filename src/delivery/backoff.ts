// How long a job waits before its next attempt when the provider named no time: "full jitter" exponential backoff
// (a uniform random wait between zero and a ceiling that doubles per attempt, up to a cap). The randomness spreads
// the retries of many jobs that failed together (a provider outage), so they do not hit it again in one wave.

import type { ChannelPolicy } from '../model/routing.js';

export type BackoffPolicy = Pick<ChannelPolicy, 'initialBackoffMs' | 'maxBackoffMs'>;

/** The ceiling of the wait after attempt `attempt` (1 for the first): initial × 2^(attempt−1), at most the cap. */
export function backoffCeilingMs(attempt: number, policy: BackoffPolicy): number {
  const exponent = Math.max(0, attempt - 1);
  // 2 ** exponent grows to Infinity for absurd attempt counts, and Math.min still answers the cap.
  return Math.min(policy.maxBackoffMs, policy.initialBackoffMs * 2 ** exponent);
}

/** A wait in [0, ceiling) milliseconds; `random` answers in [0, 1) like Math.random. */
export function fullJitterBackoff(attempt: number, policy: BackoffPolicy, random: () => number): number {
  return Math.floor(random() * backoffCeilingMs(attempt, policy));
}
