// The data of one check's page: its state now, its response time over 24 hours or 7 days, its latest results and its
// incidents. The same visibility rule as the status page: without the admin token only a check that a public component
// lists has a page, and its messages are neutral words unless status-page.yml says `raw_messages: true`.

import { DAY_MS } from '../sla/rollup.js';
import { chartBuckets, type ChartBucket, type ChartRange } from './response-chart.js';
import { neutralMessage } from './public-message.js';
import type { StatusResult, StatusSource } from './status-source.js';
import {
  checkView,
  INCIDENT_LIMIT,
  incidentView,
  neutralIncident,
  RECENT_DAYS,
  type CheckView,
  type IncidentView,
  type StatusViewOptions,
} from './status-view.js';

const HOUR_MS = 3_600_000;

export const DETAIL_RANGES = {
  '24h': { durationMs: DAY_MS, bucketMs: HOUR_MS / 4, text: '24 hours' },
  '7d': { durationMs: 7 * DAY_MS, bucketMs: HOUR_MS, text: '7 days' },
} as const;

export type DetailRange = keyof typeof DETAIL_RANGES;

export function isDetailRange(text: string): text is DetailRange {
  return Object.hasOwn(DETAIL_RANGES, text);
}

/** The latest results listed under the chart. */
export const RECENT_RESULTS = 20;
/** Results read for the chart at most: 7 days of a check probed every 10 s. */
const CHART_RESULT_LIMIT = 7 * 24 * 360;

export interface CheckDetailView {
  /** The status page's title. */
  pageTitle: string;
  generatedAt: number;
  includesPrivate: boolean;
  check: CheckView;
  /** Names of the visible components that list the check. */
  components: string[];
  range: DetailRange;
  chart: { range: ChartRange; buckets: ChartBucket[] };
  /** Newest first. */
  recent: StatusResult[];
  /** Open ones and those closed within RECENT_DAYS, the newest first. */
  incidents: IncidentView[];
}

export async function buildCheckDetail(
  source: StatusSource,
  checkId: string,
  options: StatusViewOptions & { range: DetailRange },
): Promise<CheckDetailView | undefined> {
  const settings = source.settings();
  const visible = settings.components.filter((component) => options.includePrivate || component.public);
  const listing = visible.filter((component) => component.checks.includes(checkId));
  if (listing.length === 0) return undefined;
  const now = source.now();
  const raw = options.includePrivate || settings.rawMessages === true;
  const names = new Map(source.checks().map((check) => [check.id, check.name]));
  const { durationMs, bucketMs } = DETAIL_RANGES[options.range];
  const range: ChartRange = { from: now - durationMs, to: now, bucketMs };
  const [results, incidents] = await Promise.all([
    source.results(checkId, range.from, CHART_RESULT_LIMIT),
    source.incidents({ since: now - RECENT_DAYS * DAY_MS, checkIds: [checkId], limit: INCIDENT_LIMIT }),
  ]);
  return {
    pageTitle: settings.title,
    generatedAt: now,
    includesPrivate: options.includePrivate,
    check: checkView(source, checkId, names, raw),
    components: listing.map((component) => component.name),
    range: options.range,
    chart: { range, buckets: chartBuckets(results, range) },
    recent: results
      .slice(-RECENT_RESULTS)
      .reverse()
      .map((result) => (raw ? result : { ...result, message: neutralMessage(result.status, result.reason) })),
    incidents: incidents
      .filter((incident) => incident.checkId === checkId)
      .map((incident) => incidentView(raw ? incident : neutralIncident(incident), names, visible, now))
      .sort((a, b) => b.openedAt - a.openedAt),
  };
}
