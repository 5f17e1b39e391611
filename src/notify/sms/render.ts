// The SMS for one recipient: the most useful text that fits ONE segment. Firing: "CRIT ServiceDown: API Root (3 more)
// since 13:40 UTC - <summary>", the summary cut on a word, the Vigil link only when it fits whole. Resolved: "RESOLVED
// ServiceDown: API Root after 12 min". SMS has no markup, so untrusted label text is only put on one line and its
// typographic punctuation swapped for GSM-7 twins. Pure.

import { httpUrl } from '../../http-url.js';
import type { Notification } from '../../model/notification.js';
import {
  alertsOfStatus,
  alertWhere,
  formatDuration,
  formatUtcTime,
  groupDiagnosis,
  groupDurationMs,
  groupStartedAt,
  groupWhere,
  notificationName,
  notificationSummary,
  oneLine,
} from '../format.js';
import { fitsOneSegment, withGsmPunctuation } from './segments.js';

export interface SmsMessage {
  /** E.164. */
  to: string;
  body: string;
}

/** GSM-7 has no "…"; three dots keep a cut text in 160. */
const CUT_MARK = '...';
/** Untrusted text longer than any SMS is cut before fitting, so fitting stays cheap. */
const MAX_INPUT_CHARS = 400;
const SEVERITY_TAGS: Readonly<Record<string, string>> = { critical: 'CRIT', warning: 'WARN', info: 'INFO' };
const MAX_TAG_CHARS = 8;

export function renderSms(notification: Notification, to: string): SmsMessage {
  const head = notification.status === 'resolved' ? resolvedLine(notification) : firingLine(notification);
  return { to, body: fitOneSegment(head, notification.status === 'resolved' ? [] : details(notification)) };
}

function firingLine(notification: Notification): string {
  const startedAt = groupStartedAt(notification);
  const since = startedAt === undefined ? '' : ` since ${clockTime(startedAt, notification.acceptedAt)}`;
  return `${severityTag(notification.severity)} ${clean(notificationName(notification))}: ${where(notification)}${since}`;
}

function resolvedLine(notification: Notification): string {
  const durationMs = groupDurationMs(notification);
  const after = durationMs === undefined ? '' : ` after ${formatDuration(durationMs)}`;
  return `RESOLVED ${clean(notificationName(notification))}: ${where(notification)}${after}`;
}

/** What comes after the head, most useful first: the summary (cut on a word if need be), then the link (whole or not at all). */
function details(notification: Notification): { text: string; cuttable: boolean }[] {
  const summary = notificationSummary(notification) ?? groupDiagnosis(notification)?.summary;
  const alerts = alertsOfStatus(notification);
  // One alert: its page; a group: the list of all of them.
  const link = httpUrl(alerts.length === 1 ? (alerts[0]?.links.vigil ?? notification.listUrl) : notification.listUrl);
  return [
    ...(summary === undefined || oneLine(summary) === '' ? [] : [{ text: clean(summary), cuttable: true }]),
    ...(link === undefined ? [] : [{ text: link, cuttable: false }]),
  ];
}

function severityTag(severity: string): string {
  const known = SEVERITY_TAGS[severity.toLowerCase()];
  return known ?? (clean(severity).toUpperCase().slice(0, MAX_TAG_CHARS) || 'ALERT');
}

/** "API Root", or "API Root (3 more)" for a group. */
function where(notification: Notification): string {
  const alerts = alertsOfStatus(notification);
  const [first] = alerts;
  if (first === undefined) return clean(groupWhere(notification));
  return `${clean(alertWhere(first))}${alerts.length > 1 ? ` (${alerts.length - 1} more)` : ''}`;
}

/** "13:40 UTC" on the day the message goes out; with the date when it started on another day. */
function clockTime(at: number, now: number): string {
  const full = formatUtcTime(at);
  return full.slice(0, 10) === formatUtcTime(now).slice(0, 10) ? full.slice(11) : full;
}

function clean(text: string): string {
  return withGsmPunctuation(oneLine(text.slice(0, MAX_INPUT_CHARS)));
}

/** The head, then each detail while the text stays one segment; a cuttable detail is cut on a word to use what is left. */
function fitOneSegment(head: string, details: { text: string; cuttable: boolean }[]): string {
  let body = fitsOneSegment(head) ? head : cutToFit('', head);
  for (const detail of details) {
    const separator = body === head ? ' - ' : ' ';
    const whole = `${body}${separator}${detail.text}`;
    if (fitsOneSegment(whole)) {
      body = whole;
      continue;
    }
    if (detail.cuttable) body = cutToFit(`${body}${separator}`, detail.text, body);
    break;
  }
  return body;
}

/**
 * `prefix` and as much of `text` as fits one segment with "...", cut after a word when one fits, else between
 * characters; `fallback` when not even one word does.
 */
function cutToFit(prefix: string, text: string, fallback = ''): string {
  const chars = Array.from(text);
  let characterCut: string | undefined;
  for (let end = chars.length - 1; end > 0; end -= 1) {
    const candidate = `${prefix}${chars.slice(0, end).join('').trimEnd()}${CUT_MARK}`;
    if (!fitsOneSegment(candidate)) continue;
    characterCut ??= candidate;
    if (chars[end] === ' ') return candidate;
  }
  return fallback !== '' ? fallback : (characterCut ?? CUT_MARK);
}
