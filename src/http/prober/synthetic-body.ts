// The body of `POST /api/v1/synthetic-check` (CONTRACT section 5): one result from an outside runner, or an array of
// them. Two vocabularies are accepted so runners built for seed 004 carry over unchanged:
//
//   seed 004: {"name": "api_health", "status": "up|down|degraded", "response_time_ms": 150, "timestamp": "…"}
//   Vigil:    {"check": "api_health", "status": "healthy|degraded|down", "duration_ms": 150, "reason": "…"}
//
// `component` and `service` (seed 004 sends them) are taken from checks.yml and ignored here. A `timestamp` says when
// the check ran: the result lands at that time, so a runner can send a backlog; without one it ran just now. A time
// further in the future than a small clock skew is refused, as is one older than the stored results are kept.

import type { FailureReason } from '../../model/result.js';
import type { ExternalReport } from '../../results/external-results.js';

export interface SyntheticLimits {
  isCheck: (checkId: string) => boolean;
  now: number;
  /** How far ahead of `now` a timestamp may be (runner clocks drift). */
  maxSkewMs: number;
  /** How far back a timestamp may be (older results would be pruned at once). */
  maxAgeMs: number;
}

/** Items in one request at most: a day of minutely results fits with room to spare. */
export const MAX_BATCH_ITEMS = 5_000;

const STATUS_WORDS: Readonly<Record<string, ExternalReport['status']>> = {
  healthy: 'healthy',
  up: 'healthy',
  degraded: 'degraded',
  down: 'down',
};

const REASONS: readonly FailureReason[] = [
  'slow',
  'timeout',
  'dns',
  'connect',
  'tls',
  'status_code',
  'header',
  'body',
  'json_path',
  'error',
  'missed',
];

const MAX_DURATION_MS = 3_600_000;
const MAX_MESSAGE_CHARS = 1000;

/** The items of a body (an object is a batch of one), or why the body is refused. */
export function syntheticItems(body: unknown): unknown[] | string {
  if (Array.isArray(body)) {
    const items: unknown[] = body;
    if (body.length === 0) return 'body: an empty array has no results';
    if (body.length > MAX_BATCH_ITEMS)
      return `body: at most ${MAX_BATCH_ITEMS} results per request, got ${body.length}`;
    return items;
  }
  if (typeof body === 'object' && body !== null) return [body];
  return 'body must be a JSON object or an array of them';
}

/** One item, or why it is refused (the message names the field). */
export function parseSyntheticItem(item: unknown, limits: SyntheticLimits): ExternalReport | string {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return 'must be a JSON object';
  const fields = item as Record<string, unknown>;
  const checkId = fields['check'] ?? fields['name'];
  const idKey = fields['check'] === undefined ? 'name' : 'check';
  if (typeof checkId !== 'string') return 'check (or name): required, the id of a configured check';
  if (!limits.isCheck(checkId)) return `${idKey}: unknown check \`${checkId.slice(0, 200)}\``;
  const status = typeof fields['status'] === 'string' ? STATUS_WORDS[fields['status']] : undefined;
  if (status === undefined) return 'status: must be one of up, healthy, degraded, down';
  const reason = fields['reason'];
  if (reason !== undefined && reason !== null && !REASONS.includes(reason as FailureReason))
    return `reason: must be one of ${REASONS.join(', ')}`;
  const duration = durationOf(fields);
  if (typeof duration === 'string') return duration;
  const message = fields['message'] ?? fields['error'] ?? '';
  if (typeof message !== 'string' || message.length > MAX_MESSAGE_CHARS)
    return `message: must be a string of at most ${MAX_MESSAGE_CHARS} characters`;
  const ranAt = timestampOf(fields['timestamp'], limits);
  if (typeof ranAt === 'string') return ranAt;
  const report: ExternalReport = { checkId, status, message, durationMs: duration };
  const given = typeof reason === 'string' ? (reason as FailureReason) : undefined;
  // A result that is not healthy always carries a reason (CONTRACT section 3); the runner's words are in the message.
  const effective = given ?? (status === 'down' ? 'error' : status === 'degraded' ? 'slow' : undefined);
  if (effective !== undefined && status !== 'healthy') report.reason = effective;
  if (ranAt !== undefined) report.ranAt = ranAt;
  return report;
}

/** `duration_ms` or seed 004's `response_time_ms`; 0 when neither is sent (a runner that only says up or down). */
function durationOf(fields: Record<string, unknown>): number | string {
  const key = fields['duration_ms'] === undefined ? 'response_time_ms' : 'duration_ms';
  const value = fields[key];
  if (value === undefined || value === null) return 0;
  if (typeof value !== 'number' || !(value >= 0) || value > MAX_DURATION_MS)
    return `${key}: must be a number of milliseconds from 0 to ${MAX_DURATION_MS}`;
  return value;
}

/**
 * An ISO 8601 time (one without a zone is read as UTC, as Python's `datetime.utcnow().isoformat()` writes it) or Unix
 * seconds (milliseconds above 10^11). Undefined when absent.
 */
function timestampOf(value: unknown, limits: SyntheticLimits): number | undefined | string {
  if (value === undefined || value === null) return undefined;
  let at: number;
  if (typeof value === 'number') at = value < 1e11 ? value * 1000 : value;
  else if (typeof value === 'string') at = Date.parse(hasZone(value) ? value : `${value}Z`);
  else at = Number.NaN;
  if (!Number.isFinite(at)) return 'timestamp: must be an ISO 8601 time such as 2025-12-27T10:00:00Z, or Unix seconds';
  if (at > limits.now + limits.maxSkewMs) {
    const ahead = Math.round((at - limits.now) / 1000);
    return `timestamp: ${ahead}s in the future (the runner's clock is ahead; at most ${limits.maxSkewMs / 1000}s allowed)`;
  }
  if (at < limits.now - limits.maxAgeMs) {
    return `timestamp: older than the ${Math.round(limits.maxAgeMs / 86_400_000)} days results are kept`;
  }
  return Math.round(at);
}

/** A date alone or a date-time with `Z` or an offset. */
function hasZone(text: string): boolean {
  return !/T/i.test(text) || /(?:Z|[+-]\d{2}:?\d{2})$/i.test(text.trim());
}
