import { describe, expect, it } from 'vitest';
import { RECENT_WINDOW_MS, RecentDurations } from '../../../src/metrics/recent-durations.js';

const NOW = 1_800_000_000_000;
const QUANTILES = [0.5, 0.95, 0.99];

/** `count` probes a second apart, ending at NOW; `slow` of them (the last ones) took 2 s, the rest 0.1 s. */
function probes(count: number, slow: number): RecentDurations {
  const recent = new RecentDurations();
  for (let i = 0; i < count; i++) recent.add(NOW - (count - 1 - i) * 1_000, i >= count - slow ? 2 : 0.1);
  return recent;
}

describe('RecentDurations', () => {
  it('puts the p95 past a threshold only when more than 5 % of the probes were slower', () => {
    expect(probes(20, 1).quantiles(NOW, QUANTILES)).toEqual([0.1, 0.1, 2]);
    expect(probes(20, 2).quantiles(NOW, QUANTILES)).toEqual([0.1, 2, 2]);
    expect(probes(100, 5).quantiles(NOW, QUANTILES)).toEqual([0.1, 0.1, 2]);
    expect(probes(100, 6).quantiles(NOW, QUANTILES)).toEqual([0.1, 2, 2]);
  });

  it('gives the one duration for a single probe, and NaN without any', () => {
    expect(probes(1, 0).quantiles(NOW, QUANTILES)).toEqual([0.1, 0.1, 0.1]);
    expect(new RecentDurations().quantiles(NOW, QUANTILES)).toEqual([NaN, NaN, NaN]);
  });

  it('forgets probes older than the window', () => {
    const recent = new RecentDurations();
    recent.add(NOW - RECENT_WINDOW_MS - 1, 9);
    recent.add(NOW - RECENT_WINDOW_MS, 0.5);
    recent.add(NOW, 0.2);
    expect(recent.quantiles(NOW, [0.99])).toEqual([0.5]);
    expect(recent.quantiles(NOW + 1, [0.99])).toEqual([0.2]);
    expect(recent.quantiles(NOW + RECENT_WINDOW_MS + 1, [0.5])).toEqual([NaN]);
  });
});
