// GET /api/v1/alerts/patterns?days=7: what the alerts of a period have in common. Pure over the alerts that started
// in it: type (alertname) distribution, the hour of day (UTC) alerts start in, mean time to acknowledge and to
// resolve, and recurring alerts, the same check firing again and again.

import type { AlertRecord } from '../../model/alert.js';

/** Firings of one alert on one check in the period from which it counts as recurring. */
export const RECURRING_MIN_FIRINGS = 3;
const RECURRING_SHOWN = 20;

export interface RecurringAlert {
  alertname: string;
  /** The `check` label, or the fingerprint for alerts without one. */
  check: string;
  firings: number;
  alerts: number;
  last_started_at: string;
}

export interface AlertPatterns {
  total: number;
  type_distribution: Record<string, number>;
  most_common_type: { type: string; count: number } | null;
  /** Alerts by the UTC hour they started in, index 0 to 23. */
  hourly_distribution: number[];
  peak_hour: number | null;
  mean_time_to_acknowledge_seconds: number | null;
  mean_time_to_resolve_seconds: number | null;
  recurring: RecurringAlert[];
}

const mean = (values: number[]): number | null =>
  values.length === 0 ? null : Math.round(values.reduce((sum, value) => sum + value, 0) / values.length / 10) / 100;

export function alertPatterns(alerts: readonly AlertRecord[]): AlertPatterns {
  const types = new Map<string, number>();
  const hours = Array.from({ length: 24 }, () => 0);
  const toAcknowledge: number[] = [];
  const toResolve: number[] = [];
  for (const alert of alerts) {
    const type = alert.alertname === '' ? 'none' : alert.alertname;
    types.set(type, (types.get(type) ?? 0) + 1);
    hours[new Date(alert.startsAt).getUTCHours()]! += 1;
    if (alert.acknowledged) toAcknowledge.push(Math.max(0, alert.acknowledged.at - alert.startsAt));
    if (alert.state === 'resolved' && alert.durationMs !== undefined) toResolve.push(alert.durationMs);
  }
  const ranked = [...types].sort(([a, countA], [b, countB]) => countB - countA || (a < b ? -1 : 1));
  const peak = Math.max(...hours);
  return {
    total: alerts.length,
    type_distribution: Object.fromEntries(ranked),
    most_common_type: ranked[0] === undefined ? null : { type: ranked[0][0], count: ranked[0][1] },
    hourly_distribution: hours,
    peak_hour: peak === 0 ? null : hours.indexOf(peak),
    mean_time_to_acknowledge_seconds: mean(toAcknowledge),
    mean_time_to_resolve_seconds: mean(toResolve),
    recurring: recurring(alerts),
  };
}

function recurring(alerts: readonly AlertRecord[]): RecurringAlert[] {
  const groups = new Map<string, { alertname: string; check: string; firings: number; alerts: number; last: number }>();
  for (const alert of alerts) {
    const check = alert.checkId ?? alert.fingerprint;
    const key = JSON.stringify([alert.alertname, check]);
    const group = groups.get(key) ?? { alertname: alert.alertname, check, firings: 0, alerts: 0, last: 0 };
    group.firings += alert.notificationCount;
    group.alerts += 1;
    group.last = Math.max(group.last, alert.lastStartsAt);
    groups.set(key, group);
  }
  return [...groups.values()]
    .filter((group) => group.firings >= RECURRING_MIN_FIRINGS)
    .sort((a, b) => b.firings - a.firings || b.last - a.last)
    .slice(0, RECURRING_SHOWN)
    .map((group) => ({
      alertname: group.alertname,
      check: group.check,
      firings: group.firings,
      alerts: group.alerts,
      last_started_at: new Date(group.last).toISOString(),
    }));
}
