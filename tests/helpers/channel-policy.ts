// A channel policy for the outbox tests: round numbers, so a test can say what a backoff or a limit comes to.

import type { ChannelPolicy } from '../../src/model/routing.js';

export function channelPolicy(overrides: Partial<ChannelPolicy> = {}): ChannelPolicy {
  return {
    maxAttempts: 5,
    maxAgeMs: 60 * 60_000,
    timeoutMs: 10_000,
    concurrency: 1,
    initialBackoffMs: 1_000,
    maxBackoffMs: 60_000,
    ...overrides,
  };
}
