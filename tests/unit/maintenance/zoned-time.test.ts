import { describe, expect, it } from 'vitest';
import { fromWallClock, isTimeZone, offsetAt, toWallClock } from '../../../src/maintenance/zoned-time.js';

const wall = (iso: string): number => Date.parse(`${iso}Z`);
const HOUR = 3_600_000;

describe('fromWallClock', () => {
  it.each([
    ['America/New_York', '2025-01-15T12:00', '2025-01-15T17:00:00.000Z', 'winter, EST'],
    ['America/New_York', '2025-07-15T12:00', '2025-07-15T16:00:00.000Z', 'summer, EDT'],
    ['America/New_York', '2025-03-09T02:30', '2025-03-09T07:30:00.000Z', 'skipped 02:30 becomes 03:30 EDT'],
    ['America/New_York', '2025-03-09T03:00', '2025-03-09T07:00:00.000Z', 'first minute after the jump'],
    ['America/New_York', '2025-11-02T01:30', '2025-11-02T05:30:00.000Z', 'repeated 01:30: the first, EDT'],
    ['America/New_York', '2025-11-02T02:00', '2025-11-02T07:00:00.000Z', 'after the repeated hour, EST'],
    ['Europe/Berlin', '2025-03-30T02:30', '2025-03-30T01:30:00.000Z', 'skipped 02:30 becomes 03:30 CEST'],
    ['Europe/Berlin', '2025-10-26T02:30', '2025-10-26T00:30:00.000Z', 'repeated 02:30: the first, CEST'],
    ['Asia/Kolkata', '2025-06-01T00:00', '2025-05-31T18:30:00.000Z', 'half-hour offset'],
    ['UTC', '2025-06-01T00:00', '2025-06-01T00:00:00.000Z', 'UTC'],
  ])('%s %s → %s (%s)', (zone, local, expected) => {
    expect(new Date(fromWallClock(zone, wall(local))).toISOString()).toBe(expected);
  });
});

describe('toWallClock and offsetAt', () => {
  it('reads the wall clock on both sides of a fall-back', () => {
    expect(toWallClock('America/New_York', Date.parse('2025-11-02T05:30:00Z'))).toBe(wall('2025-11-02T01:30'));
    expect(toWallClock('America/New_York', Date.parse('2025-11-02T06:30:00Z'))).toBe(wall('2025-11-02T01:30'));
    expect(offsetAt('America/New_York', Date.parse('2025-11-02T05:30:00Z'))).toBe(-4 * HOUR);
    expect(offsetAt('America/New_York', Date.parse('2025-11-02T06:30:00Z'))).toBe(-5 * HOUR);
  });

  it('keeps milliseconds', () => {
    expect(toWallClock('Europe/Berlin', Date.parse('2025-01-01T00:00:00.250Z'))).toBe(wall('2025-01-01T01:00:00.250'));
  });
});

describe('isTimeZone', () => {
  it.each([
    ['Europe/Berlin', true],
    ['America/New_York', true],
    ['UTC', true],
    ['Mars/Olympus_Mons', false],
    ['', false],
  ])('%s → %s', (zone, expected) => {
    expect(isTimeZone(zone)).toBe(expected);
  });
});
