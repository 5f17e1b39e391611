// The fingerprint computed when a sender leaves it out must be Alertmanager's own: these were read off a real
// Alertmanager 0.25 (GET /api/v2/alerts) for the same label sets.

import { describe, expect, it } from 'vitest';
import { labelsFingerprint } from '../../../src/receiver/ingest/fingerprint.js';

describe('labelsFingerprint', () => {
  it.each([
    [{ alertname: 'CheckDown', check: 'api_root', instance: 'x', severity: 'critical' }, '0e35fda092772d3e'],
    [{ alertname: 'CheckDown', check: 'db', severity: 'critical' }, '002ffa32d7e4ae0c'],
    [{ alertname: 'CheckDown', check: 'web', severity: 'critical' }, 'ac4fd922ef3cceba'],
  ])('%j → %s', (labels, fingerprint) => {
    expect(labelsFingerprint(labels)).toBe(fingerprint);
  });

  it('does not depend on the order labels were written in', () => {
    expect(labelsFingerprint({ severity: 'critical', check: 'db', alertname: 'CheckDown' })).toBe('002ffa32d7e4ae0c');
  });

  it('is the FNV-1a offset basis for an empty label set, as in Go', () => {
    expect(labelsFingerprint({})).toBe('cbf29ce484222325');
  });

  it('tells apart label sets that only differ in where a value ends', () => {
    expect(labelsFingerprint({ a: 'bc' })).not.toBe(labelsFingerprint({ ab: 'c' }));
  });
});
