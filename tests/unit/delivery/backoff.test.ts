// Full-jitter backoff: the wait is uniform between zero and a ceiling that doubles per attempt up to the cap.

import { describe, expect, it } from 'vitest';
import { backoffCeilingMs, fullJitterBackoff } from '../../../src/delivery/backoff.js';

const policy = { initialBackoffMs: 1_000, maxBackoffMs: 30_000 };

describe('backoffCeilingMs', () => {
  it.each([
    [1, 1_000],
    [2, 2_000],
    [3, 4_000],
    [5, 16_000],
    [6, 30_000],
    [10_000, 30_000],
  ])('after attempt %i the wait is at most %i ms', (attempt, ceiling) => {
    expect(backoffCeilingMs(attempt, policy)).toBe(ceiling);
  });
});

describe('fullJitterBackoff', () => {
  it('spans zero up to, not including, the ceiling', () => {
    expect(fullJitterBackoff(3, policy, () => 0)).toBe(0);
    expect(fullJitterBackoff(3, policy, () => 0.5)).toBe(2_000);
    expect(fullJitterBackoff(3, policy, () => 1 - Number.EPSILON)).toBe(3_999);
  });

  it('stays within the bounds for any random draw', () => {
    for (let attempt = 1; attempt <= 12; attempt += 1) {
      const wait = fullJitterBackoff(attempt, policy, Math.random);
      expect(wait).toBeGreaterThanOrEqual(0);
      expect(wait).toBeLessThan(backoffCeilingMs(attempt, policy));
    }
  });
});
