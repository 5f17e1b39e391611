// Patterns over a period's alerts, computed from plain records.

import { describe, expect, it } from 'vitest';
import type { AlertRecord } from '../../../src/model/alert.js';
import { alertPatterns } from '../../../src/receiver/history/patterns.js';

const DAY = Date.UTC(2025, 4, 6);
const HOUR = 3_600_000;

function record(
  alertname: string,
  check: string | undefined,
  startHour: number,
  overrides: Partial<AlertRecord> = {},
): AlertRecord {
  const startsAt = DAY + startHour * HOUR;
  return {
    id: `${alertname}-${check}-${startHour}`,
    fingerprint: `fp-${check ?? alertname}`,
    state: 'active',
    alertname,
    severity: 'critical',
    ...(check === undefined ? {} : { checkId: check }),
    labels: {},
    annotations: {},
    startsAt,
    lastStartsAt: startsAt,
    firstSeenAt: startsAt,
    lastSeenAt: startsAt,
    notificationCount: 1,
    updatedAt: startsAt,
    ...overrides,
  };
}

describe('alertPatterns', () => {
  it('is empty and null-valued without alerts', () => {
    expect(alertPatterns([])).toEqual({
      total: 0,
      type_distribution: {},
      most_common_type: null,
      hourly_distribution: Array.from({ length: 24 }, () => 0),
      peak_hour: null,
      mean_time_to_acknowledge_seconds: null,
      mean_time_to_resolve_seconds: null,
      recurring: [],
    });
  });

  it('computes distribution, peak hour, MTTA, MTTR and recurring checks', () => {
    const alerts = [
      record('CheckDown', 'web', 14, {
        state: 'resolved',
        durationMs: 600_000,
        acknowledged: { at: DAY + 14 * HOUR + 120_000, by: 'a' },
      }),
      record('CheckDown', 'web', 14, { state: 'resolved', durationMs: 1_200_000, notificationCount: 2 }),
      record('CheckDown', 'api', 3, { acknowledged: { at: DAY + 3 * HOUR + 240_000, by: 'b' } }),
      record('CheckSlow', 'api', 14, { state: 'expired', durationMs: 9_999_000 }),
      record('CertExpiring', undefined, 22),
    ];
    const patterns = alertPatterns(alerts);
    expect(patterns.total).toBe(5);
    expect(patterns.type_distribution).toEqual({ CheckDown: 3, CertExpiring: 1, CheckSlow: 1 });
    expect(patterns.most_common_type).toEqual({ type: 'CheckDown', count: 3 });
    expect(patterns.hourly_distribution[14]).toBe(3);
    expect(patterns.peak_hour).toBe(14);
    expect(patterns.mean_time_to_acknowledge_seconds).toBe(180);
    // Expired alerts were not resolved by anyone: they do not count towards MTTR.
    expect(patterns.mean_time_to_resolve_seconds).toBe(900);
    expect(patterns.recurring).toEqual([
      { alertname: 'CheckDown', check: 'web', firings: 3, alerts: 2, last_started_at: '2025-05-06T14:00:00.000Z' },
    ]);
  });
});
