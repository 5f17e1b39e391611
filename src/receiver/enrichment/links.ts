// Links from an alert back to where it can be looked at or acted on: Prometheus (the alert's generatorURL), the
// status page, and Alertmanager's UI with a silence for the alert's labels filled in. URLs that arrive in a
// notification are untrusted: only http and https ones are ever offered as links.

import type { AlertRecord } from '../../model/alert.js';
import { httpUrl } from '../../http-url.js';

export interface AlertLinks {
  /** Prometheus: the alert's generatorURL, or Prometheus' alerts page. */
  prometheus?: string;
  statusPage?: string;
  /** Alertmanager's UI with a new silence for the alert's labels filled in. */
  silence?: string;
}

export interface LinkSettings {
  prometheusUrl?: string;
  statusPageUrl?: string;
  /** Configured Alertmanager, used when the notification carries no externalURL. */
  alertmanagerUrl?: string;
}

export const trimSlash = (url: string): string => url.replace(/\/+$/, '');

/** A PromQL-style label matcher list, as Alertmanager's UI takes it in `filter`. */
export function matcherFilter(labels: Readonly<Record<string, string>>): string {
  const matchers = Object.entries(labels)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${JSON.stringify(value)}`);
  return `{${matchers.join(',')}}`;
}

export function linksFor(
  alert: Pick<AlertRecord, 'labels' | 'generatorUrl' | 'externalUrl'>,
  settings: LinkSettings,
): AlertLinks {
  const links: AlertLinks = {};
  const prometheus =
    httpUrl(alert.generatorUrl) ?? httpUrl(settings.prometheusUrl && `${trimSlash(settings.prometheusUrl)}/alerts`);
  if (prometheus !== undefined) links.prometheus = prometheus;
  const statusPage = httpUrl(settings.statusPageUrl);
  if (statusPage !== undefined) links.statusPage = statusPage;
  const alertmanager = httpUrl(alert.externalUrl) ?? httpUrl(settings.alertmanagerUrl);
  if (alertmanager !== undefined) {
    links.silence = `${trimSlash(alertmanager)}/#/silences/new?filter=${encodeURIComponent(matcherFilter(alert.labels))}`;
  }
  return links;
}
