// Latency rising steadily before the failure: the pattern of a resource running out (memory leak, connection or
// thread pool, a queue filling up) rather than a sudden break. Needs enough passing results before the failure to
// see a trend: a strong correlation with time and the latest latency well above the earliest.

import type { Finding, ResultEvidence } from '../../model/diagnosis.js';
import { endpointOf } from '../evidence/check-target.js';
import { beforeFailure, currentFailure, formatMs, formatSpan, formatTime, median, present } from './facts.js';
import type { RuleFn } from './rule.js';

const MIN_POINTS = 8;
/** Pearson correlation of latency with time at least this: it rose steadily, not in one jump. */
const MIN_CORRELATION = 0.8;
/** The newest quarter's median latency at least this many times the oldest quarter's. */
const MIN_GROWTH = 2;

export const exhaustionRule: RuleFn = (check) => {
  const failure = currentFailure(check);
  if (failure === undefined) return undefined;
  const passing = beforeFailure(check).filter((result) => result.status !== 'down');
  if (passing.length < MIN_POINTS) return undefined;
  const correlation = pearson(passing);
  const quarter = Math.max(2, Math.floor(passing.length / 4));
  const from = median(passing.slice(0, quarter).map((result) => result.durationMs));
  const to = median(passing.slice(-quarter).map((result) => result.durationMs));
  if (correlation < MIN_CORRELATION || to < from * MIN_GROWTH) return undefined;

  const span = passing.at(-1)!.at - passing[0]!.at;
  const service = check.service ?? check.checkId;
  const host = check.target?.host;
  const endpoint = endpointOf(check.target);
  return {
    rule: 'exhaustion',
    summary: `${check.checkId}: latency rose steadily from ${formatMs(from)} to ${formatMs(to)} before failing`,
    probableCause:
      `Likely resource exhaustion in ${service} (a memory leak, a connection or worker pool, or a queue filling up), ` +
      `because its latency rose steadily from ${formatMs(from)} to ${formatMs(to)} over ${formatSpan(span)} before it failed.`,
    evidence: [
      `latency of ${check.checkId} rose from a median of ${formatMs(from)} to ${formatMs(to)} over ${formatSpan(span)} ` +
        `(${passing.length} passing results, correlation with time ${correlation.toFixed(2)})`,
      `then it failed at ${formatTime(failure.at)}: ${JSON.stringify(failure.message)}`,
    ],
    recommendations: present(
      `Look at the memory, open connections, worker or thread pool and queue depth of ${service}${host === undefined ? '' : ` on ${host}`} over the last ${formatSpan(span)}.`,
      endpoint !== undefined &&
        host !== undefined &&
        `On ${host}: ss -tan state established '( sport = :${check.target?.port} )' | wc -l (connections held open)`,
      `A restart relieves a leak for a while: note the time between restarts and when latency starts rising again.`,
    ),
    confidence: correlation >= 0.9 && passing.length >= 2 * MIN_POINTS ? 'high' : 'medium',
  } satisfies Finding;
};

function pearson(results: readonly ResultEvidence[]): number {
  const n = results.length;
  const xs = results.map((result) => result.at);
  const ys = results.map((result) => result.durationMs);
  const meanX = xs.reduce((sum, x) => sum + x, 0) / n;
  const meanY = ys.reduce((sum, y) => sum + y, 0) / n;
  let covariance = 0;
  let varianceX = 0;
  let varianceY = 0;
  for (let index = 0; index < n; index += 1) {
    const dx = xs[index]! - meanX;
    const dy = ys[index]! - meanY;
    covariance += dx * dy;
    varianceX += dx * dx;
    varianceY += dy * dy;
  }
  return varianceX === 0 || varianceY === 0 ? 0 : covariance / Math.sqrt(varianceX * varianceY);
}
