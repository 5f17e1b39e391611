import { describe, expect, it } from 'vitest';
import type { Interval } from '../../../src/interval.js';
import { planWindow, type RolledUpTo } from '../../../src/sla/window-plan.js';

const t = (iso: string): number => Date.parse(`${iso}Z`);
const show = (ranges: Interval[]): string[] =>
  ranges.map((r) => `${new Date(r.start).toISOString().slice(5, 16)}..${new Date(r.end).toISOString().slice(5, 16)}`);
const allDone: RolledUpTo = { hour: t('2026-12-31T00:00'), day: t('2026-12-31T00:00') };

describe('planWindow', () => {
  it.each<[string, string, string, RolledUpTo, { raw: string[]; hour: string[]; day: string[] }]>([
    [
      'inside one hour',
      '2026-01-05T13:05',
      '2026-01-05T13:50',
      allDone,
      { raw: ['01-05T13:05..01-05T13:50'], hour: [], day: [] },
    ],
    [
      '24 hours, not aligned: raw edges, hours between, no whole day',
      '2026-01-05T13:27',
      '2026-01-06T13:27',
      allDone,
      { raw: ['01-05T13:27..01-05T14:00', '01-06T13:00..01-06T13:27'], hour: ['01-05T14:00..01-06T13:00'], day: [] },
    ],
    [
      '3 days: whole days from daily rollups',
      '2026-01-05T13:27',
      '2026-01-08T13:27',
      allDone,
      {
        raw: ['01-05T13:27..01-05T14:00', '01-08T13:00..01-08T13:27'],
        hour: ['01-05T14:00..01-06T00:00', '01-08T00:00..01-08T13:00'],
        day: ['01-06T00:00..01-08T00:00'],
      },
    ],
    [
      'days not rolled up yet come from hours, hours not rolled up yet from raw results',
      '2026-01-05T13:27',
      '2026-01-08T13:27',
      { hour: t('2026-01-08T11:00'), day: t('2026-01-07T00:00') },
      {
        raw: ['01-05T13:27..01-05T14:00', '01-08T11:00..01-08T13:27'],
        hour: ['01-05T14:00..01-06T00:00', '01-07T00:00..01-08T11:00'],
        day: ['01-06T00:00..01-07T00:00'],
      },
    ],
    [
      'nothing rolled up: all raw',
      '2026-01-05T13:27',
      '2026-01-08T13:27',
      { hour: undefined, day: undefined },
      { raw: ['01-05T13:27..01-08T13:27'], hour: [], day: [] },
    ],
    [
      'aligned window: no raw part',
      '2026-01-05T00:00',
      '2026-01-07T00:00',
      allDone,
      { raw: [], hour: [], day: ['01-05T00:00..01-07T00:00'] },
    ],
  ])('%s', (_name, from, to, rolledUpTo, expected) => {
    const plan = planWindow(t(from), t(to), rolledUpTo);
    expect({ raw: show(plan.raw), hour: show(plan.hour), day: show(plan.day) }).toEqual(expected);
  });
});
