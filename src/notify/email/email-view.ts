// What an email says, worked out once from a notification and then printed twice, as HTML and as plain text, so the
// two parts never disagree: the headline, each alert's what/where/since, diagnosis, first recommendations, impact
// and links, and the "…and N more" of a long group.

import { httpUrl } from '../../http-url.js';
import type { Notification, NotificationAlert, NotificationLinks } from '../../model/notification.js';
import {
  alertWhere,
  alertsOfStatus,
  describeDiagnosis,
  cutList,
  formatDuration,
  formatUtcTime,
  headline,
  notificationColour,
  oneLine,
  severityColour,
  truncateText,
} from '../format.js';

/** Alerts listed in one email; a group of 300 lists these and links to the rest. */
export const EMAIL_ALERT_LIMIT = 50;
/** Subjects longer than this are cut: mail clients show far less, and some servers refuse very long header lines. */
const SUBJECT_LIMIT = 200;
/**
 * Evidence items shown per alert: the ones the probable cause rests on come first; the rest (what else the rules
 * considered, where the evidence came from) stays in the alert in Vigil.
 */
export const EVIDENCE_LIMIT = 4;
/** Recommendations shown per alert: the first few are the ones to act on. */
export const RECOMMENDATION_LIMIT = 3;

export interface LinkView {
  label: string;
  url: string;
}

export interface AlertView {
  /** `ServiceDown` */
  title: string;
  severity: string;
  colour: string;
  where: string;
  /** "since 2026-12-04 13:40 UTC (for 12 min)", or "resolved after 12 min". */
  since: string;
  summary?: string;
  description?: string;
  /** What probably happened, its cause and who says so (rules or AI, and how sure). */
  diagnosis?: string;
  /** The diagnosis's first evidence items. */
  evidence: readonly string[];
  recommendations: readonly string[];
  impact?: string;
  links: readonly LinkView[];
}

export interface EmailView {
  status: Notification['status'];
  /** `[CRITICAL] ServiceDown — API Root` */
  subject: string;
  colour: string;
  /** One sentence under the headline. */
  intro: string;
  alerts: readonly AlertView[];
  /** Alerts left out of `alerts`. */
  more: number;
  listUrl?: string;
}

const LINK_LABELS: Readonly<Record<keyof NotificationLinks, string>> = {
  vigil: 'Alert in Vigil',
  prometheus: 'Prometheus graph',
  silence: 'Silence',
  statusPage: 'Status page',
  runbook: 'Runbook',
};

export function emailView(notification: Notification, limit = EMAIL_ALERT_LIMIT): EmailView {
  const relevant = alertsOfStatus(notification);
  const { shown, omitted: more } = cutList(relevant, limit);
  const resolved = notification.status === 'resolved';
  const prefix = resolved ? 'RESOLVED' : notification.severity.toUpperCase();
  return {
    status: notification.status,
    // A CR/LF in label text would start a new header: oneLine makes control characters spaces.
    subject: truncateText(oneLine(`[${prefix}] ${headline(notification)}`), SUBJECT_LIMIT),
    colour: notificationColour(notification),
    intro: resolved ? resolvedIntro(notification, relevant.length) : firingIntro(relevant.length),
    alerts: shown.map((alert) => alertView(alert, notification.acceptedAt, resolved)),
    more,
    ...listUrlOf(notification),
  };
}

function firingIntro(count: number): string {
  return count === 1 ? 'An alert is firing.' : `${count} alerts are firing.`;
}

function resolvedIntro(notification: Notification, count: number): string {
  const what = count === 1 ? 'The alert has resolved' : `All ${count} alerts have resolved`;
  return notification.durationMs === undefined
    ? `${what}.`
    : `${what}; it lasted ${formatDuration(notification.durationMs)}.`;
}

/** A resolved notice is short: what it was, where, and how long it lasted. */
function alertView(alert: NotificationAlert, now: number, resolvedNotice: boolean): AlertView {
  const base = {
    title: alert.alertname || 'Alert',
    severity: alert.severity,
    colour: severityColour(alert.severity),
    where: alertWhere(alert),
    since: sinceText(alert, now),
    links: linksOf(alert.links),
  };
  if (resolvedNotice) return { ...base, evidence: [], recommendations: [] };
  const { summary, description } = alert.annotations;
  const diagnosis = alert.diagnosis?.pending === true ? undefined : alert.diagnosis;
  return {
    ...base,
    ...(summary !== undefined ? { summary } : {}),
    ...(description !== undefined && description !== summary ? { description } : {}),
    ...(diagnosis !== undefined ? { diagnosis: describeDiagnosis(diagnosis) } : {}),
    evidence: (diagnosis?.evidence ?? []).filter((item) => !item.startsWith('also (')).slice(0, EVIDENCE_LIMIT),
    recommendations: (diagnosis?.recommendations ?? []).slice(0, RECOMMENDATION_LIMIT),
    ...(alert.impact !== undefined ? { impact: alert.impact } : {}),
  };
}

function sinceText(alert: NotificationAlert, now: number): string {
  if (alert.endsAt !== undefined) return `resolved after ${formatDuration(alert.endsAt - alert.startsAt)}`;
  return `since ${formatUtcTime(alert.startsAt)} (for ${formatDuration(now - alert.startsAt)})`;
}

function linksOf(links: NotificationLinks): LinkView[] {
  return (Object.keys(LINK_LABELS) as (keyof NotificationLinks)[]).flatMap((key) => {
    // Links come from labels and annotations too (runbook_url): only http(s) becomes a link, never `javascript:`.
    const url = httpUrl(links[key]);
    return url !== undefined ? [{ label: LINK_LABELS[key], url }] : [];
  });
}

function listUrlOf(notification: Notification): { listUrl?: string } {
  const listUrl = httpUrl(notification.listUrl);
  return listUrl === undefined ? {} : { listUrl };
}
