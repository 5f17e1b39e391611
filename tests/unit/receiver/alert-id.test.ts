// Alert ids are UUIDv7: well-formed, unique, and ordered by the time they were made.

import { describe, expect, it } from 'vitest';
import { newAlertId } from '../../../src/receiver/ingest/alert-id.js';

describe('newAlertId', () => {
  it('is a version 7, variant 1 UUID carrying the time', () => {
    const id = newAlertId(Date.UTC(2025, 4, 6, 9));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(Date.UTC(2025, 4, 6, 9));
  });

  it('sorts by time and never repeats, across many pool refills', () => {
    const ids = Array.from({ length: 2_000 }, (_, index) => newAlertId(1_746_522_000_000 + index));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });
});
