import { describe, expect, it } from 'vitest';
import { IntervalSet, mergeIntervals } from '../../src/interval.js';

describe('mergeIntervals', () => {
  it('sorts, joins overlapping and touching intervals, drops empty ones', () => {
    expect(
      mergeIntervals([
        { start: 30, end: 40 },
        { start: 0, end: 10 },
        { start: 10, end: 15 },
        { start: 35, end: 50 },
        { start: 60, end: 60 },
      ]),
    ).toEqual([
      { start: 0, end: 15 },
      { start: 30, end: 50 },
    ]);
  });
});

describe('IntervalSet', () => {
  const set = new IntervalSet([
    { start: 10, end: 20 },
    { start: 30, end: 40 },
  ]);
  it.each([
    [0, 10, 0],
    [0, 15, 5],
    [12, 18, 6],
    [15, 35, 10],
    [0, 100, 20],
    [20, 30, 0],
  ])('overlap of [%s, %s) is %s', (start, end, expected) => {
    expect(set.overlapMs(start, end)).toBe(expected);
  });

  it.each([
    [9, false],
    [10, true],
    [19, true],
    [20, false],
    [30, true],
    [40, false],
  ])('contains %s: %s', (at, expected) => {
    expect(set.contains(at)).toBe(expected);
  });
});
