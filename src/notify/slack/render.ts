// A notification as one Slack message (pure): a header saying what is wrong, the severity colour, fields for
// severity, check, since and diagnosis, the first recommendations, the alerts listed until Block Kit's limits with
// "…and N more" linking the full list, and link buttons. A resolved group gets a short notice with how long it lasted.

import { httpUrl } from '../../http-url.js';
import type { Notification, NotificationAlert, NotificationLinks } from '../../model/notification.js';
import {
  alertSubject,
  describeDiagnosis,
  alertSummary,
  firingAlerts,
  formatDuration,
  formatUtcTime,
  groupDiagnosis,
  groupDurationMs,
  groupStartedAt,
  notificationColour,
  notificationName,
  notificationSummary,
  oneLine,
  truncateText,
} from '../format.js';
import { SLACK_LIMITS, type SlackBlock, type SlackButton, type SlackMessage, type SlackMrkdwn } from './blocks.js';
import { escapeMrkdwnWithin, mrkdwnLink } from './mrkdwn.js';

/** Recommendations shown in the message; the rest are one click away in Vigil. */
const MAX_RECOMMENDATIONS = 3;
/** One alert's line: long enough for a check name and its summary, short enough that a list stays readable. */
const MAX_SUBJECT = 100;
const MAX_ALERT_SUMMARY = 180;
/** A longer link on an alert's line is left out (the subject stays): a line must fit a section many times over. */
const MAX_LINE_URL = 1_000;
/** Names of resolved alerts quoted in a resolved notice before "and N more". */
const MAX_RESOLVED_NAMES = 5;

export function renderSlackMessage(notification: Notification): SlackMessage {
  const blocks = notification.status === 'resolved' ? resolvedBlocks(notification) : firingBlocks(notification);
  return {
    text: fallbackText(notification),
    attachments: [{ color: notificationColour(notification), blocks }],
  };
}

function fallbackText(notification: Notification): string {
  const name = oneLine(notificationName(notification));
  if (notification.status === 'resolved') {
    const duration = groupDurationMs(notification);
    const after = duration === undefined ? '' : ` after ${formatDuration(duration)}`;
    return escapeMrkdwnWithin(`[RESOLVED] ${name}${after}`, SLACK_LIMITS.fallbackText);
  }
  const summary = notificationSummary(notification);
  const firing = firingAlerts(notification).length;
  const text = `[FIRING:${firing}] ${name} (${oneLine(notification.severity)})${summary ? `: ${oneLine(summary)}` : ''}`;
  return escapeMrkdwnWithin(text, SLACK_LIMITS.fallbackText);
}

function header(text: string): SlackBlock {
  return { type: 'header', text: { type: 'plain_text', text: truncateText(oneLine(text), SLACK_LIMITS.headerText) } };
}

function section(text: string): SlackBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

function mrkdwn(text: string): SlackMrkdwn {
  return { type: 'mrkdwn', text };
}

function field(title: string, value: string): SlackMrkdwn {
  return mrkdwn(`*${title}*\n${escapeMrkdwnWithin(value, SLACK_LIMITS.fieldText - title.length - 3)}`);
}

function firingBlocks(notification: Notification): SlackBlock[] {
  const firing = firingAlerts(notification);
  const [first] = notification.alerts;
  const name = notificationName(notification);
  const where = firing.length === 1 && firing[0] ? ` on ${alertSubject(firing[0])}` : ` (${firing.length} alerts)`;
  const blocks: SlackBlock[] = [header(`Firing: ${name}${where}`)];

  // Slack refuses a section whose text is empty, and a summary of spaces would be one.
  const summary = notificationSummary(notification)?.trim();
  if (summary) blocks.push(section(escapeMrkdwnWithin(summary, SLACK_LIMITS.sectionText)));
  blocks.push({ type: 'section', fields: summaryFields(notification, firing) });

  const recommendations = groupDiagnosis(notification)?.recommendations ?? [];
  if (recommendations.length > 0) blocks.push(section(recommendationsText(recommendations)));

  const buttons = linkButtons(groupLinks(notification, first));
  // The list gets what the block budget leaves after the "…and N more" line and the buttons.
  const listBudget = SLACK_LIMITS.blocks - blocks.length - 1 - (buttons.length > 0 ? 1 : 0);
  const list = alertListSections(notification.alerts, listBudget);
  blocks.push(...list.blocks);
  if (list.omitted > 0) blocks.push(moreLine(list.omitted, notification.listUrl));
  if (buttons.length > 0) blocks.push({ type: 'actions', elements: buttons });
  return blocks;
}

function summaryFields(notification: Notification, firing: readonly NotificationAlert[]): SlackMrkdwn[] {
  const [only] = firing;
  const priority = firing.length === 1 && only?.priority ? ` (${only.priority})` : '';
  const fields = [field('Severity', `${notification.severity}${priority}`)];
  fields.push(field('Check', firing.length === 1 && only ? alertSubject(only) : `${firing.length} firing`));
  const startedAt = groupStartedAt(notification);
  if (startedAt !== undefined) {
    const lasting = formatDuration(notification.acceptedAt - startedAt);
    fields.push(field('Since', `${formatUtcTime(startedAt)} (for ${lasting})`));
  }
  const diagnosis = groupDiagnosis(notification);
  if (diagnosis) fields.push(field('Diagnosis', describeDiagnosis(diagnosis)));
  if (firing.length === 1 && only?.impact) fields.push(field('Impact', only.impact));
  return fields.slice(0, SLACK_LIMITS.fields);
}

function recommendationsText(recommendations: readonly string[]): string {
  const title = '*Recommendations*';
  const perLine = Math.floor((SLACK_LIMITS.sectionText - title.length) / MAX_RECOMMENDATIONS) - 3;
  const lines = recommendations
    .slice(0, MAX_RECOMMENDATIONS)
    .map((recommendation) => `• ${escapeMrkdwnWithin(oneLine(recommendation), perLine)}`);
  return [title, ...lines].join('\n');
}

function alertLine(alert: NotificationAlert): string {
  const subjectText = oneLine(alertSubject(alert));
  const vigil = httpUrl(alert.links.vigil);
  const subject =
    vigil && vigil.length <= MAX_LINE_URL
      ? mrkdwnLink(vigil, subjectText, MAX_SUBJECT)
      : `*${escapeMrkdwnWithin(subjectText, MAX_SUBJECT)}*`;
  const summary = alertSummary(alert);
  const what = summary ? ` ${escapeMrkdwnWithin(oneLine(summary), MAX_ALERT_SUMMARY)}` : '';
  const state = alert.status === 'resolved' ? ' (resolved)' : ` since ${formatUtcTime(alert.startsAt)}`;
  return `• ${subject}${what}${state}`;
}

/** Whole alert lines packed into sections, until the blocks or the list's text budget run out. */
function alertListSections(
  alerts: readonly NotificationAlert[],
  maxBlocks: number,
): { blocks: SlackBlock[]; omitted: number } {
  const sections: string[] = [];
  let current = '';
  let listed = 0;
  let listText = 0;
  for (const alert of alerts) {
    const line = alertLine(alert);
    if (listText + line.length + 1 > SLACK_LIMITS.alertListText) break;
    if (current !== '' && current.length + 1 + line.length <= SLACK_LIMITS.sectionText) {
      current = `${current}\n${line}`;
    } else {
      if (sections.length + (current === '' ? 0 : 1) >= maxBlocks) break;
      if (current !== '') sections.push(current);
      current = line;
    }
    listed += 1;
    listText += line.length + 1;
  }
  if (current !== '') sections.push(current);
  return { blocks: sections.map(section), omitted: alerts.length - listed };
}

function moreLine(omitted: number, listUrl: string | undefined): SlackBlock {
  const url = httpUrl(listUrl);
  const more = `…and ${omitted} more`;
  const text = url ? `${more}: ${mrkdwnLink(url, 'the full list in Vigil', 40)}` : more;
  return { type: 'context', elements: [mrkdwn(text)] };
}

/** The group's links: the whole list when there are several alerts, else the alert's own page; the rest from the first. */
function groupLinks(notification: Notification, first: NotificationAlert | undefined): NotificationLinks {
  const links = first?.links ?? {};
  const vigil =
    notification.alerts.length > 1 ? (notification.listUrl ?? links.vigil) : (links.vigil ?? notification.listUrl);
  return { ...links, ...(vigil === undefined ? {} : { vigil }) };
}

const BUTTONS: readonly [keyof NotificationLinks, string][] = [
  ['vigil', 'Open in Vigil'],
  ['runbook', 'Runbook'],
  ['prometheus', 'Prometheus'],
  ['silence', 'Silence'],
  ['statusPage', 'Status page'],
];

function linkButtons(links: NotificationLinks): SlackButton[] {
  return BUTTONS.flatMap(([key, label]) => {
    const url = httpUrl(links[key]);
    if (url === undefined || url.length > SLACK_LIMITS.buttonUrl) return [];
    return [
      { type: 'button' as const, text: { type: 'plain_text' as const, text: label }, url, action_id: `link-${key}` },
    ];
  });
}

function resolvedBlocks(notification: Notification): SlackBlock[] {
  const duration = groupDurationMs(notification);
  const lasted = duration === undefined ? 'Resolved' : `Resolved after ${formatDuration(duration)}`;
  const names = notification.alerts.slice(0, MAX_RESOLVED_NAMES).map((alert) => oneLine(alertSubject(alert)));
  const more = notification.alerts.length - names.length;
  const which = `${names.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
  const count = notification.alerts.length === 1 ? '1 alert' : `${notification.alerts.length} alerts`;
  const blocks: SlackBlock[] = [
    header(`Resolved: ${notificationName(notification)}`),
    section(escapeMrkdwnWithin(`${lasted}: ${count} (${which}).`, SLACK_LIMITS.sectionText)),
  ];
  const buttons = linkButtons({ vigil: groupLinks(notification, notification.alerts[0]).vigil });
  if (buttons.length > 0) blocks.push({ type: 'actions', elements: buttons });
  return blocks;
}
