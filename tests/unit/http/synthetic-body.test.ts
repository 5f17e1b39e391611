// The synthetic-check body: seed 004's vocabulary and Vigil's, timestamps (with or without a zone, Unix seconds),
// the clock-skew and age limits, and batches.

import { describe, expect, it } from 'vitest';
import { MAX_BATCH_ITEMS, parseSyntheticItem, syntheticItems } from '../../../src/http/prober/synthetic-body.js';

const NOW = Date.parse('2025-12-27T12:00:00Z');
const limits = { isCheck: (id: string) => id === 'api_health', now: NOW, maxSkewMs: 60_000, maxAgeMs: 86_400_000 };
const parse = (item: unknown): unknown => parseSyntheticItem(item, limits);

describe('parseSyntheticItem', () => {
  it.each([
    [
      { name: 'api_health', status: 'up', response_time_ms: 150, timestamp: '2025-12-27T10:00:00Z', service: 'api' },
      { checkId: 'api_health', status: 'healthy', durationMs: 150, ranAt: Date.parse('2025-12-27T10:00:00Z') },
    ],
    [
      { check: 'api_health', status: 'down', duration_ms: 20, reason: 'timeout', message: 'no answer' },
      { status: 'down', reason: 'timeout', message: 'no answer', durationMs: 20 },
    ],
    [
      { name: 'api_health', status: 'down' },
      { status: 'down', reason: 'error', durationMs: 0 },
    ],
    [
      { name: 'api_health', status: 'degraded' },
      { status: 'degraded', reason: 'slow' },
    ],
    [
      { name: 'api_health', status: 'up', timestamp: '2025-12-27T10:00:00.5' },
      { ranAt: Date.parse('2025-12-27T10:00:00.5Z') },
    ],
    [{ name: 'api_health', status: 'up', timestamp: NOW / 1000 - 60 }, { ranAt: NOW - 60_000 }],
    [{ name: 'api_health', status: 'up', timestamp: '2025-12-27T12:00:30Z' }, { ranAt: NOW + 30_000 }],
  ])('accepts %j', (item, expected) => {
    expect(parse(item)).toMatchObject(expected);
  });

  it.each([
    [{ status: 'up' }, /^check \(or name\): required/],
    [{ name: 'other', status: 'up' }, /^name: unknown check `other`/],
    [{ name: 'api_health', status: 'unknown' }, /^status:/],
    [{ name: 'api_health', status: 'up', reason: 'bad' }, /^reason:/],
    [{ name: 'api_health', status: 'up', response_time_ms: -1 }, /^response_time_ms:/],
    [{ name: 'api_health', status: 'up', timestamp: '2025-12-27T12:05:00Z' }, /^timestamp: 300s in the future/],
    [{ name: 'api_health', status: 'up', timestamp: '2025-12-20T12:00:00Z' }, /^timestamp: older than/],
    [{ name: 'api_health', status: 'up', timestamp: 'soon' }, /^timestamp: must be/],
    ['text', /must be a JSON object/],
  ])('refuses %j', (item, says) => {
    expect(parse(item)).toMatch(says);
  });
});

describe('syntheticItems', () => {
  it('treats an object as a batch of one and bounds arrays', () => {
    expect(syntheticItems({ a: 1 })).toEqual([{ a: 1 }]);
    expect(syntheticItems([])).toMatch(/empty/);
    expect(syntheticItems(new Array(MAX_BATCH_ITEMS + 1).fill({}))).toMatch(/at most/);
    expect(syntheticItems('x')).toMatch(/JSON object or an array/);
  });
});
