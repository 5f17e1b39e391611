import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ProbedCheck } from '../../../src/model/check.js';
import type { CheckResult } from '../../../src/model/result.js';
import type { ProbeOutcome } from '../../../src/probe/types.js';
import { nextDueAt, Scheduler, spreadOffset } from '../../../src/schedule/scheduler.js';
import { httpCheck } from '../../helpers/checks.js';

const ok: ProbeOutcome = { ok: true, message: 'ok', durationMs: 1, phases: {} };
const fail: ProbeOutcome = { ok: false, reason: 'connect', message: 'refused', durationMs: 1, phases: {} };

function check(id: string, intervalMs: number, extra: Partial<ProbedCheck> = {}): ProbedCheck {
  return httpCheck('http://127.0.0.1:1/', {
    id,
    intervalMs,
    timeoutMs: Math.min(1000, intervalMs / 2),
    ...extra,
  } as never);
}

/** A probe runner whose probes take `takesMs` of (fake) time, recording starts and concurrency. */
function recorder(takesMs: number, outcome: (id: string) => ProbeOutcome = () => ok) {
  const starts: Array<{ id: string; at: number }> = [];
  const aborted: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const running = new Map<string, number>();
  let overlap = false;
  const run = (c: ProbedCheck, shutdown: AbortSignal): Promise<ProbeOutcome> => {
    starts.push({ id: c.id, at: Date.now() });
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    if ((running.get(c.id) ?? 0) > 0) overlap = true;
    running.set(c.id, (running.get(c.id) ?? 0) + 1);
    return new Promise((resolve) => {
      const done = (): void => {
        inFlight--;
        running.set(c.id, running.get(c.id)! - 1);
        resolve(outcome(c.id));
      };
      const timer = setTimeout(done, takesMs);
      shutdown.addEventListener('abort', () => {
        clearTimeout(timer);
        aborted.push(c.id);
        done();
      });
    });
  };
  return {
    run,
    starts,
    aborted,
    get maxInFlight() {
      return maxInFlight;
    },
    get overlap() {
      return overlap;
    },
  };
}

describe('Scheduler', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs every check on its own interval', async () => {
    const probe = recorder(5);
    const results: CheckResult[] = [];
    const scheduler = new Scheduler({ maxConcurrency: 10, run: probe.run, onResult: (r) => results.push(r) });
    scheduler.setChecks([check('fast', 10_000), check('slow', 30_000)]);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(300_000);
    await scheduler.stop();
    const count = (id: string): number => probe.starts.filter((s) => s.id === id).length;
    expect(count('fast')).toBeGreaterThanOrEqual(29);
    expect(count('fast')).toBeLessThanOrEqual(30);
    expect(count('slow')).toBeGreaterThanOrEqual(9);
    expect(count('slow')).toBeLessThanOrEqual(10);
    const fastStarts = probe.starts.filter((s) => s.id === 'fast').map((s) => s.at);
    const gaps = fastStarts.slice(1).map((at, i) => at - fastStarts[i]!);
    expect(new Set(gaps)).toEqual(new Set([10_000]));
    expect(results.every((r) => r.status === 'healthy')).toBe(true);
  });

  it('never overlaps two runs of one check, and counts the runs it skipped', async () => {
    const probe = recorder(25_000);
    const scheduler = new Scheduler({ maxConcurrency: 10, run: probe.run, onResult: () => {} });
    scheduler.setChecks([check('sluggish', 10_000)]);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(100_000);
    expect(probe.overlap).toBe(false);
    expect(scheduler.stats().skipped).toBeGreaterThan(0);
    await scheduler.stop();
  });

  it('caps the probes in flight across all checks', async () => {
    const probe = recorder(4_000);
    let results = 0;
    const scheduler = new Scheduler({ maxConcurrency: 3, run: probe.run, onResult: () => results++ });
    scheduler.setChecks(Array.from({ length: 20 }, (_, i) => check(`c${i}`, 10_000)));
    scheduler.start();
    await vi.advanceTimersByTimeAsync(60_000);
    await scheduler.stop();
    expect(probe.maxInFlight).toBe(3);
    expect(results).toBeGreaterThan(20);
  });

  it('spreads the first runs of many checks over the interval', async () => {
    const probe = recorder(1);
    const scheduler = new Scheduler({ maxConcurrency: 1000, run: probe.run, onResult: () => {} });
    scheduler.setChecks(Array.from({ length: 1000 }, (_, i) => check(`check_${i}`, 10_000)));
    const t0 = Date.now();
    scheduler.start();
    await vi.advanceTimersByTimeAsync(10_000);
    await scheduler.stop();
    const perSecond = new Array(10).fill(0);
    for (const start of probe.starts) perSecond[Math.floor((start.at - t0) / 1000)]++;
    expect(probe.starts.length).toBe(1000);
    for (const count of perSecond) {
      expect(count).toBeGreaterThan(60);
      expect(count).toBeLessThan(140);
    }
  });

  it('applies a new set of checks: removed ones stop, kept ones keep their failure count', async () => {
    const probe = recorder(5, () => fail);
    const results: CheckResult[] = [];
    const scheduler = new Scheduler({ maxConcurrency: 10, run: probe.run, onResult: (r) => results.push(r) });
    const kept = check('kept', 10_000, { failureThreshold: 3 });
    scheduler.setChecks([kept, check('removed', 10_000)]);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(20_000);
    const keptBefore = results.filter((r) => r.checkId === 'kept');
    expect(keptBefore.at(-1)!.consecutiveFailures).toBe(2);
    expect(keptBefore.at(-1)!.status).toBe('unknown');

    scheduler.setChecks([{ ...kept, name: 'renamed' }]);
    results.length = 0;
    await vi.advanceTimersByTimeAsync(20_000);
    await scheduler.stop();
    expect(results.some((r) => r.checkId === 'removed')).toBe(false);
    const keptAfter = results.filter((r) => r.checkId === 'kept');
    expect(keptAfter[0]!.consecutiveFailures).toBe(3);
    expect(keptAfter[0]!.status).toBe('down');
  });

  it('does not run disabled checks', async () => {
    const probe = recorder(1);
    const scheduler = new Scheduler({ maxConcurrency: 10, run: probe.run, onResult: () => {} });
    scheduler.setChecks([check('off', 10_000, { enabled: false })]);
    scheduler.start();
    await vi.advanceTimersByTimeAsync(30_000);
    await scheduler.stop();
    expect(probe.starts).toEqual([]);
  });

  it('aborts the probes in flight on stop and drops their results', async () => {
    const probe = recorder(60_000);
    const results: CheckResult[] = [];
    const scheduler = new Scheduler({ maxConcurrency: 10, run: probe.run, onResult: (r) => results.push(r) });
    scheduler.setChecks([check('long', 600_000)]);
    scheduler.start();
    for (let waited = 0; scheduler.stats().inFlight === 0 && waited < 600_000; waited += 1_000) {
      await vi.advanceTimersByTimeAsync(1_000);
    }
    expect(scheduler.stats().inFlight).toBe(1);
    await scheduler.stop();
    expect(probe.aborted).toEqual(['long']);
    expect(results).toEqual([]);
  });
});

describe('nextDueAt', () => {
  it.each([
    { planned: 0, interval: 10, now: 5, next: 10 },
    { planned: 0, interval: 10, now: 10, next: 20 },
    { planned: 0, interval: 10, now: 35, next: 40 },
  ])(
    'after a run planned at $planned with interval $interval at time $now → $next',
    ({ planned, interval, now, next }) => {
      expect(nextDueAt(planned, interval, now)).toBe(next);
    },
  );
});

describe('spreadOffset', () => {
  it('is stable and within the interval', () => {
    expect(spreadOffset('api_root', 30_000)).toBe(spreadOffset('api_root', 30_000));
    for (const id of ['a', 'b', 'api_root', 'x'.repeat(100)]) {
      const offset = spreadOffset(id, 30_000);
      expect(offset).toBeGreaterThanOrEqual(0);
      expect(offset).toBeLessThan(30_000);
    }
  });
});
