// The notification the channels render, built from the group as Alertmanager sent it and its alerts as the receiver
// stored them (with their priority, impact and diagnosis). It is stored with the outbox jobs, its alerts by id and
// status (the outbox reads the rest from the alerts' rows when it sends), so a message sent after a restart lists
// what it would have listed at once. The links a person needs (the alert in Vigil, the graph in
// Prometheus, a prefilled silence, the status page, the runbook) are added when it is sent (withLinks): written by
// the ingest transaction they were half of the notification's bytes and a fifth of the time to plan it.

import type { AlertRecord, IncomingGroup } from '../../model/alert.js';
import {
  listedAlert,
  type Notification,
  type NotificationAlert,
  type NotificationLinks,
} from '../../model/notification.js';
import { httpUrl } from '../../http-url.js';
import { type LinkSettings, linksFor, matcherFilter, trimSlash } from '../enrichment/links.js';

export interface NotificationLinkSettings extends LinkSettings {
  /** Where people reach this receiver (config.yml `receiver.external_url`): the alert links point there. */
  vigilUrl?: string;
}

export interface NotificationContent {
  group: IncomingGroup;
  stateKey: string;
  status: 'firing' | 'resolved';
  severity: string;
  /** The alerts to list: firing first, then resolved. */
  firing: readonly AlertRecord[];
  resolved: readonly AlertRecord[];
  durationMs?: number;
}

function alertLinks(
  alert: NotificationAlert,
  externalUrl: string | undefined,
  settings: NotificationLinkSettings,
): NotificationLinks {
  const from = {
    labels: alert.labels,
    ...(alert.generatorUrl === undefined ? {} : { generatorUrl: alert.generatorUrl }),
    ...(externalUrl === undefined ? {} : { externalUrl }),
  };
  const links: NotificationLinks = { ...linksFor(from, settings) };
  // The base is checked, not each alert's URL: ids are URL-safe, and a URL per alert would only crowd httpUrl's memo.
  const vigil = httpUrl(settings.vigilUrl);
  if (vigil !== undefined) links.vigil = `${trimSlash(vigil)}/api/v1/alerts/${encodeURIComponent(alert.id)}`;
  const runbook = httpUrl(alert.annotations['runbook_url']);
  if (runbook !== undefined) links.runbook = runbook;
  return links;
}

/** The notification with each alert's links, from the settings now; links it already has are kept. */
export function withLinks(notification: Notification, settings: NotificationLinkSettings): Notification {
  return {
    ...notification,
    alerts: notification.alerts.map((alert) =>
      Object.keys(alert.links).length > 0
        ? alert
        : { ...alert, links: alertLinks(alert, notification.externalUrl, settings) },
    ),
  };
}

/** The whole group: Alertmanager's alert list filtered to the group's labels, else this receiver's alert list. */
function listUrl(group: IncomingGroup, settings: NotificationLinkSettings): string | undefined {
  const alertmanager = httpUrl(group.externalUrl) ?? httpUrl(settings.alertmanagerUrl);
  if (alertmanager !== undefined && Object.keys(group.groupLabels).length > 0) {
    return `${trimSlash(alertmanager)}/#/alerts?filter=${encodeURIComponent(matcherFilter(group.groupLabels))}`;
  }
  return httpUrl(settings.vigilUrl && `${trimSlash(settings.vigilUrl)}/api/v1/alerts?state=active`);
}

export function notificationBody(content: NotificationContent, settings: NotificationLinkSettings): Notification {
  const { group } = content;
  const notification: Notification = {
    groupKey: group.groupKey ?? '',
    stateKey: content.stateKey,
    status: content.status,
    severity: content.severity,
    groupLabels: group.groupLabels,
    commonLabels: group.commonLabels,
    commonAnnotations: group.commonAnnotations,
    alerts: [
      ...content.firing.map((alert) => listedAlert(alert, 'firing')),
      ...content.resolved.map((alert) => listedAlert(alert, 'resolved')),
    ],
    acceptedAt: group.receivedAt,
  };
  if (group.externalUrl !== undefined) notification.externalUrl = group.externalUrl;
  const list = listUrl(group, settings);
  if (list !== undefined) notification.listUrl = list;
  if (content.durationMs !== undefined) notification.durationMs = content.durationMs;
  return notification;
}
