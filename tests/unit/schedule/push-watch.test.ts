// The push watch on a fake clock: missed at last heard + interval + grace, again every interval while silent, reset
// by a ping; after a restart the deadline runs from the stored last-heard time, and one that passed while the
// prober was down is given one interval from the start.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PushCheck } from '../../../src/model/check.js';
import type { CheckResult } from '../../../src/model/result.js';
import { PushWatch, type PushMemory } from '../../../src/schedule/push-watch.js';

const START = Date.parse('2025-12-27T12:00:00Z');

function pushCheck(overrides: Partial<PushCheck> = {}): PushCheck {
  return {
    id: 'backup',
    name: 'backup',
    group: 'jobs',
    component: 'jobs',
    service: 'backup',
    intervalMs: 60_000,
    timeoutMs: 10_000,
    graceMs: 10_000,
    enabled: true,
    failureThreshold: 1,
    performance: {},
    type: 'push',
    token: { env: 'BACKUP_TOKEN' },
    ...overrides,
  };
}

let missed: CheckResult[];
let watch: PushWatch;

function watchFrom(memory: PushMemory = {}): PushWatch {
  watch = new PushWatch({ onMissed: (result) => missed.push(result) });
  watch.setChecks([pushCheck()], () => memory);
  return watch;
}

beforeEach(() => {
  vi.useFakeTimers({ now: START });
  missed = [];
});

afterEach(() => {
  watch.stop();
  vi.useRealTimers();
});

describe('PushWatch', () => {
  it('records `missed` at last heard + interval + grace, then every interval, until a ping', () => {
    watchFrom();
    watch.heard('backup', START + 5_000);
    vi.advanceTimersByTime(74_999);
    expect(missed).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(missed).toEqual([
      expect.objectContaining({ status: 'down', reason: 'missed', startedAt: START + 75_000, consecutiveFailures: 1 }),
    ]);
    vi.advanceTimersByTime(60_000);
    expect(missed.map((result) => result.startedAt)).toEqual([START + 75_000, START + 135_000]);
    expect(missed[1]!.consecutiveFailures).toBe(2);
    watch.heard('backup', START + 140_000);
    vi.advanceTimersByTime(74_999);
    expect(missed).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(missed[2]).toMatchObject({ startedAt: START + 210_000, consecutiveFailures: 1 });
  });

  it('gives a never-heard check one interval and grace from the start', () => {
    watchFrom();
    vi.advanceTimersByTime(70_000);
    expect(missed).toEqual([expect.objectContaining({ startedAt: START + 70_000 })]);
    expect(missed[0]!.message).toMatch(/^no ping yet/);
  });

  it('resumes from the stored last-heard time after a restart', () => {
    watchFrom({ lastHeardAt: START - 50_000 });
    expect(watch.lastHeardAt('backup')).toBe(START - 50_000);
    vi.advanceTimersByTime(20_000);
    expect(missed).toEqual([expect.objectContaining({ startedAt: START + 20_000 })]);
  });

  it('does not count the time the prober was down against the job', () => {
    watchFrom({ lastHeardAt: START - 600_000 });
    vi.advanceTimersByTime(69_999);
    expect(missed).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(missed).toHaveLength(1);
  });

  it('counts on from a `missed` result stored before the restart', () => {
    const latest = { startedAt: START - 30_000, reason: 'missed' as const, consecutiveFailures: 3 };
    watchFrom({ lastHeardAt: START - 120_000, latest });
    vi.advanceTimersByTime(30_000);
    expect(missed).toEqual([expect.objectContaining({ startedAt: START + 30_000, consecutiveFailures: 4 })]);
  });
});
