// A notification as a few lines of plain text for the log (pure): what fired and where, since when, the diagnosis
// and first recommendations, a handful of alerts then "…and N more", and the link. Label text is put on one line and
// cut, so one alert cannot forge extra lines or flood the log.

import { httpUrl } from '../../http-url.js';
import type { Notification, NotificationAlert } from '../../model/notification.js';
import {
  alertSubject,
  alertSummary,
  cutList,
  describeDiagnosis,
  firingAlerts,
  formatDuration,
  formatUtcTime,
  groupDiagnosis,
  groupDurationMs,
  groupStartedAt,
  notificationName,
  notificationSummary,
  oneLine,
  truncateText,
} from '../format.js';

export interface ConsoleMessage {
  /** Alertmanager's group key. */
  group: string;
  severity: string;
  text: string;
}

const MAX_ALERTS = 5;
const MAX_RECOMMENDATIONS = 3;
const MAX_LINE = 300;

/** Untrusted text as part of one line. */
function plain(text: string, max = MAX_LINE): string {
  return truncateText(oneLine(text), max);
}

export function renderConsoleMessage(notification: Notification): ConsoleMessage {
  const lines = notification.status === 'resolved' ? resolvedLines(notification) : firingLines(notification);
  return { group: notification.groupKey, severity: notification.severity, text: lines.join('\n') };
}

function firingLines(notification: Notification): string[] {
  const firing = firingAlerts(notification);
  const [only] = firing;
  const where = firing.length === 1 && only ? ` on ${plain(alertSubject(only), 100)}` : `: ${firing.length} alerts`;
  const summary = notificationSummary(notification);
  const lines = [
    `FIRING ${plain(notificationName(notification), 100)} (${plain(notification.severity, 20)})${where}` +
      (summary ? ` - ${plain(summary)}` : ''),
  ];
  const startedAt = groupStartedAt(notification);
  if (startedAt !== undefined) {
    lines.push(`Since ${formatUtcTime(startedAt)} (for ${formatDuration(notification.acceptedAt - startedAt)})`);
  }
  const diagnosis = groupDiagnosis(notification);
  if (diagnosis) {
    lines.push(`Diagnosis: ${plain(describeDiagnosis(diagnosis))}`);
    for (const recommendation of diagnosis.recommendations.slice(0, MAX_RECOMMENDATIONS)) {
      lines.push(`Do: ${plain(recommendation)}`);
    }
  }
  if (notification.alerts.length > 1) {
    const { shown, omitted } = cutList(notification.alerts, MAX_ALERTS);
    lines.push(...shown.map(alertLine));
    if (omitted > 0) lines.push(`  …and ${omitted} more`);
  }
  const link = groupLink(notification);
  if (link) lines.push(`See ${link}`);
  return lines;
}

function alertLine(alert: NotificationAlert): string {
  const summary = alertSummary(alert);
  const state = alert.status === 'resolved' ? 'resolved' : `since ${formatUtcTime(alert.startsAt)}`;
  return `  - ${plain(alertSubject(alert), 100)}${summary ? `: ${plain(summary, 180)}` : ''} (${state})`;
}

function resolvedLines(notification: Notification): string[] {
  const duration = groupDurationMs(notification);
  const after = duration === undefined ? '' : ` after ${formatDuration(duration)}`;
  const { shown, omitted } = cutList(notification.alerts, MAX_ALERTS);
  const names = shown.map((alert) => plain(alertSubject(alert), 100)).join(', ');
  const lines = [
    `RESOLVED ${plain(notificationName(notification), 100)}${after}: ${names}${omitted > 0 ? ` and ${omitted} more` : ''}`,
  ];
  const link = groupLink(notification);
  if (link) lines.push(`See ${link}`);
  return lines;
}

/** The whole group when there are several alerts, else the alert's own page. */
function groupLink(notification: Notification): string | undefined {
  const ownPage = notification.alerts.length === 1 ? notification.alerts[0]?.links.vigil : undefined;
  return httpUrl(ownPage ?? notification.listUrl);
}
