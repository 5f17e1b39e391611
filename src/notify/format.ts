// Wording and colours every channel shares, so an alert reads the same in an email, a Slack message or an SMS: the
// severity colour, "where" an alert is, how long something lasted, and a long list cut to a bound with "…and N more".

import type { Notification, NotificationAlert } from '../model/notification.js';

/** The status page's colours (src/status/status-css.ts): major red, minor amber, maintenance blue. */
export const SEVERITY_COLOURS = {
  critical: '#d63c3c',
  warning: '#d99a00',
  info: '#3b7bd6',
} as const;

/** Any severity outside the three known ones: neutral grey rather than a guess. */
export const UNKNOWN_SEVERITY_COLOUR = '#5d6675';

/** Green for a resolved notice, whatever the severity was. */
export const RESOLVED_COLOUR = '#2e9b57';

export function severityColour(severity: string): string {
  return Object.hasOwn(SEVERITY_COLOURS, severity)
    ? SEVERITY_COLOURS[severity as keyof typeof SEVERITY_COLOURS]
    : UNKNOWN_SEVERITY_COLOUR;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** A duration as a person says it: "45 s", "12 min", "3 h 5 min", "2 d 4 h" (two units at most). */
export function formatDuration(ms: number): string {
  const safe = Math.max(0, Math.round(ms));
  if (safe < MINUTE_MS) return `${Math.floor(safe / 1000)} s`;
  if (safe < HOUR_MS) return `${Math.floor(safe / MINUTE_MS)} min`;
  if (safe < DAY_MS) {
    const minutes = Math.floor((safe % HOUR_MS) / MINUTE_MS);
    return `${Math.floor(safe / HOUR_MS)} h${minutes > 0 ? ` ${minutes} min` : ''}`;
  }
  const hours = Math.floor((safe % DAY_MS) / HOUR_MS);
  return `${Math.floor(safe / DAY_MS)} d${hours > 0 ? ` ${hours} h` : ''}`;
}

/** A Unix-milliseconds time in UTC, to the minute: "2026-12-04 13:52 UTC". */
export function formatUtc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The first `limit` items and how many were left out, for a list ending "…and N more". */
export function cutList<T>(items: readonly T[], limit: number): { shown: readonly T[]; more: number } {
  return { shown: items.slice(0, limit), more: Math.max(0, items.length - limit) };
}

/** Where an alert is: the check's name as the prober labels it, else its id, instance or job. */
export function alertWhere(alert: NotificationAlert): string {
  const { labels } = alert;
  return labels['name'] ?? labels['check'] ?? alert.checkId ?? labels['instance'] ?? labels['job'] ?? 'unknown';
}

/** Where a group is: what its alerts share (a component, a service, a job), else what it was grouped by. */
export function groupWhere(notification: Notification): string {
  const { commonLabels, groupLabels } = notification;
  const shared = commonLabels['component'] ?? commonLabels['service'] ?? commonLabels['job'];
  if (shared !== undefined) return shared;
  const grouped = Object.entries(groupLabels).find(([name]) => name !== 'alertname')?.[1];
  return grouped ?? commonLabels['alertname'] ?? 'several places';
}

/** The one-line headline: "ServiceDown — API Root" for one alert, "3 alerts — backend" for several. */
export function headline(notification: Notification): string {
  const relevant = alertsOfStatus(notification);
  const [only] = relevant;
  if (relevant.length === 1 && only !== undefined) return `${only.alertname || 'Alert'} — ${alertWhere(only)}`;
  return `${relevant.length} alerts — ${groupWhere(notification)}`;
}

/** The alerts a message is about: the firing ones while the group fires, all of them once it has resolved. */
export function alertsOfStatus(notification: Notification): readonly NotificationAlert[] {
  if (notification.status === 'resolved') return notification.alerts;
  return notification.alerts.filter((alert) => alert.status === 'firing');
}
