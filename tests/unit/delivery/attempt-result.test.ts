// What the outbox records for each answer of a channel, with the attempt and age limits (a table of cases).

import { describe, expect, it } from 'vitest';
import { attemptResult, type AttemptOutcome } from '../../../src/delivery/attempt-result.js';
import type { DeliveryResult } from '../../../src/model/delivery.js';
import { channelPolicy } from '../../helpers/channel-policy.js';

const ACCEPTED = 1_000_000;
const policy = channelPolicy({ maxAttempts: 4 });

const cases: Array<[string, AttemptOutcome, { attempt: number; ageMs: number }, DeliveryResult]> = [
  [
    'sent',
    { kind: 'sent', providerId: 'SM1' },
    { attempt: 1, ageMs: 0 },
    { kind: 'sent', at: ACCEPTED, providerId: 'SM1' },
  ],
  [
    'dead',
    { kind: 'dead', reason: 'bad address' },
    { attempt: 1, ageMs: 0 },
    { kind: 'dead', at: ACCEPTED, error: 'bad address' },
  ],
  [
    'retry on the backoff (attempt 2: ceiling 2 s, random 0.25)',
    { kind: 'retry', reason: 'HTTP 503' },
    { attempt: 2, ageMs: 0 },
    { kind: 'retry', at: ACCEPTED, nextAttemptAt: ACCEPTED + 500, error: 'HTTP 503' },
  ],
  [
    'retry after the Retry-After',
    { kind: 'retry', reason: 'HTTP 429', afterMs: 7_000 },
    { attempt: 1, ageMs: 0 },
    { kind: 'retry', at: ACCEPTED, nextAttemptAt: ACCEPTED + 7_000, error: 'HTTP 429' },
  ],
  [
    'retry at the attempt limit',
    { kind: 'retry', reason: 'HTTP 503' },
    { attempt: 4, ageMs: 0 },
    { kind: 'dead', at: ACCEPTED, error: 'gave up after 4 attempts: HTTP 503' },
  ],
  [
    'retry past the age limit',
    { kind: 'retry', reason: 'HTTP 503' },
    { attempt: 2, ageMs: 60 * 60_000 },
    { kind: 'dead', at: ACCEPTED + 60 * 60_000, error: 'gave up after 2 attempts (not sent within 1 h): HTTP 503' },
  ],
  [
    'interrupted by a stop, even at the limit',
    { kind: 'interrupted', reason: 'stopped' },
    { attempt: 4, ageMs: 2 * 60 * 60_000 },
    {
      kind: 'retry',
      at: ACCEPTED + 2 * 60 * 60_000,
      nextAttemptAt: ACCEPTED + 2 * 60 * 60_000,
      error: 'stopped',
    },
  ],
];

describe('attemptResult', () => {
  it.each(cases)('%s', (_name, outcome, { attempt, ageMs }, expected) => {
    const result = attemptResult(outcome, {
      job: { attempt, acceptedAt: ACCEPTED },
      policy,
      now: ACCEPTED + ageMs,
      random: () => 0.25,
    });
    expect(result).toEqual(expected);
  });
});
