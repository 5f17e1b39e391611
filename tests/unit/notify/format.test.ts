// The wording every channel shares: durations, UTC times, severity colours, cut lists and text, safe links.

import { describe, expect, it } from 'vitest';
import { httpUrl } from '../../../src/http-url.js';
import {
  cutList,
  formatDuration,
  formatUtcTime,
  oneLine,
  severityColour,
  truncateText,
} from '../../../src/notify/format.js';
import { parseRetryAfter } from '../../../src/notify/retry-after.js';

describe('formatDuration', () => {
  it.each([
    [0, '0 s'],
    [-5, '0 s'],
    [45_000, '45 s'],
    [60_000, '1 min'],
    [12 * 60_000 + 59_000, '12 min'],
    [2 * 3_600_000, '2 h'],
    [2 * 3_600_000 + 5 * 60_000, '2 h 5 min'],
    [3 * 86_400_000 + 4 * 3_600_000 + 59 * 60_000, '3 d 4 h'],
  ])('%i ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('severityColour', () => {
  it.each([
    ['critical', '#d63c3c'],
    ['Critical', '#d63c3c'],
    ['warning', '#d99a00'],
    ['info', '#3b7bd6'],
    ['page', '#5d6675'],
  ])('%s → %s', (severity, colour) => {
    expect(severityColour(severity)).toBe(colour);
  });
});

describe('text helpers', () => {
  it('writes times in UTC', () => {
    expect(formatUtcTime(Date.UTC(2026, 11, 4, 13, 50, 30))).toBe('2026-12-04 13:50 UTC');
  });

  it('cuts a list and counts what it left out', () => {
    expect(cutList([1, 2, 3, 4], 3)).toEqual({ shown: [1, 2, 3], omitted: 1 });
    expect(cutList([1], 3)).toEqual({ shown: [1], omitted: 0 });
  });

  it.each([
    ['short', 10, 'short'],
    ['exactly 10', 10, 'exactly 10'],
    ['a longer text', 8, 'a longe…'],
    ['ab😀cd', 4, 'ab…'],
  ])('truncateText(%j, %i) → %j', (text, max, cut) => {
    expect(truncateText(text, max)).toBe(cut);
    expect(truncateText(text, max).length).toBeLessThanOrEqual(max);
  });

  it('puts untrusted text on one line', () => {
    expect(oneLine(' a\nb\r\n\tc ')).toBe('a b c');
  });

  it.each([
    ['https://vigil.example/a?b=1', 'https://vigil.example/a?b=1'],
    ['http://x.example', 'http://x.example/'],
    ['javascript:alert(1)', undefined],
    ['not a url', undefined],
    [undefined, undefined],
  ])('httpUrl(%j) → %j', (url, safe) => {
    expect(httpUrl(url)).toBe(safe);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2026, 11, 4, 14, 0, 0);
  it.each([
    ['2', 2_000],
    [' 30 ', 30_000],
    [['5', '9'], 5_000],
    ['Fri, 04 Dec 2026 14:00:10 GMT', 10_000],
    ['Fri, 04 Dec 2026 13:59:00 GMT', 0],
    ['999999', 3_600_000],
    ['-1', undefined],
    ['soon', undefined],
    ['', undefined],
    [undefined, undefined],
  ] as const)('%j → %s', (value, afterMs) => {
    expect(parseRetryAfter(value, now)).toBe(afterMs);
  });
});
