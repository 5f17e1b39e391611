// A check's response time over a range as an inline SVG: drawn on the server, no script, nothing fetched, styled only
// by the page's one style sheet (the Content-Security-Policy allows no inline style attribute). Results are averaged
// into buckets (15 minutes over 24 h, an hour over 7 days) so that the markup stays the same size whatever the check's
// interval; a bucket with a failed probe gets a red mark under the line, one with no result leaves a gap.

import { formatUtc } from './format.js';
import { html, type SafeHtml } from './html.js';
import type { StatusResult } from './status-source.js';

export interface ChartRange {
  from: number;
  to: number;
  bucketMs: number;
}

export interface ChartBucket {
  start: number;
  /** Mean response time of the probes that got an answer; absent when none did. */
  meanMs?: number;
  results: number;
  failed: number;
}

const WIDTH = 1000;
const HEIGHT = 240;
const LEFT = 56;
const RIGHT = 12;
const TOP = 12;
const BOTTOM = 28;
/** Room under the plot for the marks of failed buckets. */
const FAIL_BAND = 8;
/** The scale's least top: a 2 ms line should not fill the chart as if it were slow. */
const MIN_SCALE_MS = 10;

export function chartBuckets(results: readonly StatusResult[], range: ChartRange): ChartBucket[] {
  const count = Math.ceil((range.to - range.from) / range.bucketMs);
  const sums = Array.from({ length: count }, () => ({ totalMs: 0, answered: 0, results: 0, failed: 0 }));
  for (const result of results) {
    const bucket = sums[Math.floor((result.startedAt - range.from) / range.bucketMs)];
    if (bucket === undefined) continue;
    bucket.results++;
    if (result.status === 'down') bucket.failed++;
    else {
      bucket.totalMs += result.durationMs;
      bucket.answered++;
    }
  }
  return sums.map((sum, index) => ({
    start: range.from + index * range.bucketMs,
    ...(sum.answered > 0 ? { meanMs: sum.totalMs / sum.answered } : {}),
    results: sum.results,
    failed: sum.failed,
  }));
}

/** 1, 2, 5 × 10ⁿ at or above `value`: a scale a reader can take in at a glance. */
export function niceCeiling(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 5, 10].find((factor) => factor * power >= value) ?? 10;
  return step * power;
}

export function responseChart(buckets: readonly ChartBucket[], range: ChartRange, label: string): SafeHtml {
  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM - FAIL_BAND;
  const top = niceCeiling(Math.max(MIN_SCALE_MS, ...buckets.map((bucket) => bucket.meanMs ?? 0)));
  const answered = buckets.some((bucket) => bucket.meanMs !== undefined);
  const x = (time: number): number => LEFT + ((time - range.from) / (range.to - range.from)) * plotWidth;
  const y = (ms: number): number => TOP + plotHeight - (ms / top) * plotHeight;
  const lines = segments(buckets).map(
    (segment) =>
      html`<polyline class="line" points="${segment
        .map((bucket) => `${round(x(bucket.start + range.bucketMs / 2))},${round(y(bucket.meanMs ?? 0))}`)
        .join(' ')}"></polyline>`,
  );
  const dots = buckets
    .filter((bucket, index) => bucket.meanMs !== undefined && isolated(buckets, index))
    .map(
      (bucket) =>
        html`<circle class="dot-point" cx="${round(x(bucket.start + range.bucketMs / 2))}" cy="${round(y(bucket.meanMs ?? 0))}" r="2.5"></circle>`,
    );
  const barWidth = Math.max(1, round(plotWidth / buckets.length - 1));
  const failures = buckets
    .filter((bucket) => bucket.failed > 0)
    .map(
      (bucket) =>
        html`<rect class="fail" x="${round(x(bucket.start))}" y="${TOP + plotHeight + 2}" width="${barWidth}" height="${FAIL_BAND - 2}"><title>${formatUtc(bucket.start)}: ${bucket.failed} of ${bucket.results} failed</title></rect>`,
    );
  const gridLines = [0, 0.5, 1].map((share) => {
    const at = round(y(top * share));
    return html`<line class="grid" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${at}" y2="${at}"></line><text class="axis" x="${LEFT - 6}" y="${at + 4}" text-anchor="end">${msText(top * share)}</text>`;
  });
  const ticks = [range.from, (range.from + range.to) / 2, range.to].map(
    (time, index) =>
      html`<text class="axis" x="${round(x(time))}" y="${HEIGHT - 8}" text-anchor="${['start', 'middle', 'end'][index]}">${formatUtc(time)}</text>`,
  );
  const empty =
    !answered &&
    html`<text class="axis" x="${LEFT + plotWidth / 2}" y="${TOP + plotHeight / 2}" text-anchor="middle">No probe got an answer in this range</text>`;
  return html`<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${label}">${gridLines}${ticks}${failures}${lines}${dots}${empty}</svg>`;
}

/** Runs of consecutive buckets with a mean: a gap in the data is a gap in the line. */
function segments(buckets: readonly ChartBucket[]): ChartBucket[][] {
  const runs: ChartBucket[][] = [];
  let current: ChartBucket[] = [];
  for (const bucket of buckets) {
    if (bucket.meanMs === undefined) {
      if (current.length > 1) runs.push(current);
      current = [];
    } else current.push(bucket);
  }
  if (current.length > 1) runs.push(current);
  return runs;
}

/** A bucket with data between two without: a line of one point does not draw, so it gets a dot. */
function isolated(buckets: readonly ChartBucket[], index: number): boolean {
  return buckets[index - 1]?.meanMs === undefined && buckets[index + 1]?.meanMs === undefined;
}

function msText(ms: number): string {
  return ms >= 1000 ? `${round(ms / 1000)} s` : `${round(ms)} ms`;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
