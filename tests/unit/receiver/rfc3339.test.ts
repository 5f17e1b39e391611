// Timestamps as Go writes them: valid ones to the millisecond, invalid ones refused rather than rolled over.

import { describe, expect, it } from 'vitest';
import { isZeroTime, parseRfc3339 } from '../../../src/receiver/payload/rfc3339.js';

describe('parseRfc3339', () => {
  it.each([
    ['2025-05-06T09:00:00Z', Date.UTC(2025, 4, 6, 9)],
    ['2025-05-06T09:00:00.123456789Z', Date.UTC(2025, 4, 6, 9, 0, 0, 123)],
    ['2025-05-06T11:00:00+02:00', Date.UTC(2025, 4, 6, 9)],
    ['2025-05-06T04:30:00-04:30', Date.UTC(2025, 4, 6, 9)],
    ['2024-02-29T00:00:00z', Date.UTC(2024, 1, 29)],
    ['0001-01-01T00:00:00Z', -62_135_596_800_000],
  ])('%s', (text, ms) => {
    expect(parseRfc3339(text)).toBe(ms);
  });

  it.each([
    '2025-02-29T00:00:00Z',
    '2025-04-31T00:00:00Z',
    '2025-13-01T00:00:00Z',
    '2025-05-06T24:00:00Z',
    '2025-05-06T09:60:00Z',
    '2025-05-06T09:00:00',
    '2025-05-06 09:00:00Z',
    '2025-05-06T09:00:00+2:00',
    '2025-05-06T09:00:00.Z',
    '1746522000',
    '',
  ])('refuses %j', (text) => {
    expect(parseRfc3339(text)).toBeUndefined();
  });

  it('knows Go’s zero time', () => {
    expect(isZeroTime(parseRfc3339('0001-01-01T00:00:00Z')!)).toBe(true);
    expect(isZeroTime(Date.UTC(1970, 0, 1))).toBe(false);
  });
});
