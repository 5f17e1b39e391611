// The status page's figures snapshot: reused for at most FIGURES_MAX_AGE_MS, taken afresh at once on a new UTC day
// (a new bar) and on a reload, computed at the snapshot's moment, and a failure is not kept.

import { describe, expect, it } from 'vitest';
import type { SlaWindow } from '../../../src/model/sla-window.js';
import { FIGURES_MAX_AGE_MS, StatusFigures, type FigureSource } from '../../../src/status/status-figures.js';
import type { ComponentUptime, DailyUptime } from '../../../src/status/status-source.js';

const DAY = 86_400_000;
const NOON = Date.parse('2026-11-20T12:00:00Z');

/** Answers with the moment it was asked to compute at, and counts the computations. */
class CountingSource implements FigureSource {
  reports: Array<[SlaWindow, number]> = [];
  days: number[] = [];
  fail = false;

  componentReports(window: SlaWindow, now: number): Promise<ReadonlyMap<string, ComponentUptime>> {
    this.reports.push([window, now]);
    if (this.fail) return Promise.reject(new Error('store unavailable'));
    return Promise.resolve(
      new Map([['web', { uptimePercent: now, targetPercent: 99.9, status: 'compliant' as const }]]),
    );
  }

  dailyUptime(_checkIds: readonly string[], _days: number, now: number): Promise<DailyUptime[]> {
    this.days.push(now);
    const day = new Date(now).toISOString().slice(0, 10);
    return Promise.resolve([{ day, downMinutes: 0, degradedMinutes: 0, maintenanceMinutes: 0 }]);
  }
}

function setup(start = NOON) {
  const clock = { now: start, config: {} as object };
  const source = new CountingSource();
  const figures = new StatusFigures(source, { basis: () => clock.config, now: () => clock.now });
  return { clock, source, figures };
}

describe('StatusFigures', () => {
  it('computes each figure once per snapshot, at the snapshot’s moment', async () => {
    const { clock, source, figures } = setup();
    await figures.componentUptime('24h');
    clock.now += FIGURES_MAX_AGE_MS;
    expect((await figures.componentUptime('24h')).get('web')?.uptimePercent).toBe(NOON);
    await figures.componentUptime('7d');
    await figures.dailyUptime(['a', 'b'], 90);
    await figures.dailyUptime(['a', 'b'], 90);
    await figures.dailyUptime(['c'], 90);
    expect(source.reports).toEqual([
      ['24h', NOON],
      ['7d', NOON],
    ]);
    expect(source.days).toEqual([NOON, NOON]);
  });

  it('takes a new snapshot once the last is older than the maximum age', async () => {
    const { clock, source, figures } = setup();
    const first = figures.computedAt();
    await figures.componentUptime('24h');
    clock.now += FIGURES_MAX_AGE_MS + 1;
    expect(figures.computedAt()).not.toBe(first);
    await figures.componentUptime('24h');
    expect(source.reports.map(([, at]) => at)).toEqual([NOON, NOON + FIGURES_MAX_AGE_MS + 1]);
  });

  it('takes a new snapshot when a new UTC day begins, however young the last one is', async () => {
    const midnight = Math.ceil(NOON / DAY) * DAY;
    const { clock, source, figures } = setup(midnight - 1_000);
    expect((await figures.dailyUptime(['a'], 90))[0]?.day).toBe('2026-11-20');
    clock.now = midnight;
    expect((await figures.dailyUptime(['a'], 90))[0]?.day).toBe('2026-11-21');
    expect(source.days).toEqual([midnight - 1_000, midnight]);
  });

  it('takes a new snapshot after a reload, and when the clock goes back', async () => {
    const { clock, source, figures } = setup();
    await figures.componentUptime('24h');
    clock.config = {};
    await figures.componentUptime('24h');
    clock.now -= 1_000;
    await figures.componentUptime('24h');
    expect(source.reports).toHaveLength(3);
  });

  it('does not keep a failed computation', async () => {
    const { source, figures } = setup();
    source.fail = true;
    await expect(figures.componentUptime('24h')).rejects.toThrow('store unavailable');
    source.fail = false;
    expect((await figures.componentUptime('24h')).get('web')?.status).toBe('compliant');
  });
});
