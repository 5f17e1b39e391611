// Wording and limits every channel shares, so an alert reads the same in an email, a Slack message or an SMS: the
// severity colour, "where" an alert is, "for 12 min", a UTC time, cutting a list to what a provider takes ("…and N
// more"), and cutting text without splitting a character. Pure; the channels add escaping.

import type { AlertDiagnosis } from '../model/diagnosis.js';
import type { Notification, NotificationAlert } from '../model/notification.js';

/** The severity colours of every channel that shows one (Slack's bar, the email header): the status page's red, amber, blue. */
export const SEVERITY_COLOURS: Readonly<Record<string, string>> = {
  critical: '#d63c3c',
  warning: '#d99a00',
  info: '#3b7bd6',
};
/** A severity outside the three known ones: neutral grey, so it neither alarms nor hides. */
export const UNKNOWN_SEVERITY_COLOUR = '#5d6675';
/** Green: a resolved group is good news whatever its severity was. */
export const RESOLVED_COLOUR = '#2e9b57';

export function severityColour(severity: string): string {
  const key = severity.toLowerCase();
  return Object.hasOwn(SEVERITY_COLOURS, key) ? SEVERITY_COLOURS[key]! : UNKNOWN_SEVERITY_COLOUR;
}

export function notificationColour(notification: Notification): string {
  return notification.status === 'resolved' ? RESOLVED_COLOUR : severityColour(notification.severity);
}

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A duration in the two largest units a person reads at a glance: "45 s", "12 min", "2 h 5 min", "3 d 4 h". */
export function formatDuration(ms: number): string {
  const total = Math.max(0, ms);
  if (total < MINUTE) return `${Math.floor(total / SECOND)} s`;
  if (total < HOUR) return `${Math.floor(total / MINUTE)} min`;
  if (total < DAY) {
    const minutes = Math.floor((total % HOUR) / MINUTE);
    return `${Math.floor(total / HOUR)} h${minutes > 0 ? ` ${minutes} min` : ''}`;
  }
  const hours = Math.floor((total % DAY) / HOUR);
  return `${Math.floor(total / DAY)} d${hours > 0 ? ` ${hours} h` : ''}`;
}

/** "2026-12-04 13:50 UTC": the same for every reader, whatever their time zone. */
export function formatUtcTime(unixMs: number): string {
  return `${new Date(unixMs).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The first `max` items and how many were left out, for "…and N more". */
export function cutList<T>(items: readonly T[], max: number): { shown: T[]; omitted: number } {
  const shown = items.slice(0, Math.max(0, max));
  return { shown, omitted: items.length - shown.length };
}

export const ELLIPSIS = '…';

/** `text` in at most `max` UTF-16 units, ending in "…" when cut, never splitting a surrogate pair. */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  let end = max - ELLIPSIS.length;
  if (end > 0 && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
  return `${text.slice(0, Math.max(0, end))}${ELLIPSIS}`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Untrusted label text on one line: control characters (newlines included) become spaces, runs of them one. */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim();
}

/** What fired: the group's alertname, else the first alert's. */
export function notificationName(notification: Notification): string {
  return (
    notification.groupLabels.alertname ??
    notification.commonLabels.alertname ??
    notification.alerts[0]?.alertname ??
    'alert'
  );
}

/** Where it fired: the check, else the instance or job label, else the alert's name. */
export function alertSubject(alert: NotificationAlert): string {
  return alert.checkId ?? alert.labels.instance ?? alert.labels.job ?? alert.alertname;
}

/** What is wrong, in one sentence when the alert rule wrote one. */
export function alertSummary(alert: NotificationAlert): string | undefined {
  return alert.annotations.summary ?? alert.annotations.description ?? alert.annotations.message;
}

/** The group's summary: the common one, else the only alert's. */
export function notificationSummary(notification: Notification): string | undefined {
  const common = notification.commonAnnotations.summary ?? notification.commonAnnotations.description;
  if (common !== undefined) return common;
  const [only] = notification.alerts;
  return notification.alerts.length === 1 && only !== undefined ? alertSummary(only) : undefined;
}

export function firingAlerts(notification: Notification): NotificationAlert[] {
  return notification.alerts.filter((alert) => alert.status === 'firing');
}

/** The earliest start among the alerts: "since when" for the group. */
export function groupStartedAt(notification: Notification): number | undefined {
  let earliest: number | undefined;
  for (const alert of notification.alerts) earliest = Math.min(earliest ?? alert.startsAt, alert.startsAt);
  return earliest;
}

/** The first diagnosis that is not a placeholder: alerts of one group usually share their cause. */
export function groupDiagnosis(notification: Notification): NotificationAlert['diagnosis'] {
  return notification.alerts.find((alert) => alert.diagnosis !== undefined && alert.diagnosis.pending !== true)
    ?.diagnosis;
}

/** How long a resolved group lasted: as the receiver measured it, else first start to last end. */
export function groupDurationMs(notification: Notification): number | undefined {
  if (notification.durationMs !== undefined) return notification.durationMs;
  const start = groupStartedAt(notification);
  let latestEnd: number | undefined;
  for (const alert of notification.alerts) {
    if (alert.endsAt !== undefined) latestEnd = Math.max(latestEnd ?? alert.endsAt, alert.endsAt);
  }
  return start === undefined || latestEnd === undefined ? undefined : latestEnd - start;
}

/** Text ending as a sentence, so two of them read as two. */
export function sentence(text: string): string {
  const trimmed = oneLine(text);
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** "The upstream answers 503. Probable cause: the deploy. (rules, high confidence)": what and who says so. */
export function describeDiagnosis(diagnosis: AlertDiagnosis): string {
  const cause = diagnosis.probable_cause ? ` ${sentence(`Probable cause: ${diagnosis.probable_cause}`)}` : '';
  const said = `${diagnosis.source === 'ai' ? 'AI' : 'rules'}, ${diagnosis.confidence} confidence`;
  return `${sentence(diagnosis.summary)}${cause} (${said})`;
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
