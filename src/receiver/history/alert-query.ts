// The query string of GET /api/v1/alerts: filters and keyset pagination. Every bad parameter is refused with a
// message naming it; the cursor is opaque to clients (the last alert's start time and id).

import { parseDuration } from '../../config/index.js';
import { ALERT_STATES, type AlertState } from '../../model/alert.js';
import type { AlertQuery } from '../../store/alert-store.js';
import { parseRfc3339 } from '../payload/rfc3339.js';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 1_000;
const MAX_FILTER_LENGTH = 256;

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

type QueryString = Record<string, unknown>;

function single(query: QueryString, name: string): Parsed<string | undefined> {
  const value = query[name];
  if (value === undefined || value === '') return { ok: true, value: undefined };
  if (typeof value !== 'string') return { ok: false, problem: `${name}: give it once` };
  if (value.length > MAX_FILTER_LENGTH)
    return { ok: false, problem: `${name}: at most ${MAX_FILTER_LENGTH} characters` };
  return { ok: true, value };
}

/** An RFC 3339 time, or a duration meaning "that long ago" (`24h`). */
export function parseSince(text: string, now: number): number | undefined {
  const duration = parseDuration(text);
  if (duration !== undefined) return now - duration;
  return parseRfc3339(text);
}

export function parseInteger(
  text: string | undefined,
  name: string,
  min: number,
  max: number,
  fallback: number,
): Parsed<number> {
  if (text === undefined) return { ok: true, value: fallback };
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    return {
      ok: false,
      problem: `${name}: must be a whole number from ${min} to ${max}, got ${JSON.stringify(text.slice(0, 32))}`,
    };
  }
  return { ok: true, value };
}

export function encodeCursor(alert: { startsAt: number; id: string }): string {
  return Buffer.from(JSON.stringify([alert.startsAt, alert.id])).toString('base64url');
}

function decodeCursor(text: string): AlertQuery['before'] | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || typeof value[0] !== 'number' || typeof value[1] !== 'string') return undefined;
    return { startsAt: value[0], id: value[1] };
  } catch {
    return undefined;
  }
}

function states(text: string | undefined): Parsed<AlertState[] | undefined> {
  if (text === undefined) return { ok: true, value: undefined };
  const names = text.split(',').map((name) => name.trim());
  const unknown = names.find((name) => !(ALERT_STATES as readonly string[]).includes(name));
  if (unknown !== undefined) {
    return {
      ok: false,
      problem: `state: must be one or more of ${ALERT_STATES.join(', ')} (comma-separated), got ${JSON.stringify(unknown.slice(0, 32))}`,
    };
  }
  return { ok: true, value: names as AlertState[] };
}

export function parseAlertQuery(query: QueryString, now: number): Parsed<AlertQuery> {
  const texts: Record<string, string | undefined> = {};
  for (const name of ['state', 'severity', 'check', 'since', 'limit', 'cursor']) {
    const parsed = single(query, name);
    if (!parsed.ok) return parsed;
    texts[name] = parsed.value;
  }
  const state = states(texts['state']);
  if (!state.ok) return state;
  const limit = parseInteger(texts['limit'], 'limit', 1, MAX_LIMIT, DEFAULT_LIMIT);
  if (!limit.ok) return limit;
  const result: AlertQuery = { limit: limit.value };
  if (state.value !== undefined) result.states = state.value;
  if (texts['severity'] !== undefined) result.severity = texts['severity'];
  if (texts['check'] !== undefined) result.checkId = texts['check'];
  if (texts['since'] !== undefined) {
    const since = parseSince(texts['since'], now);
    if (since === undefined) return { ok: false, problem: 'since: must be an RFC 3339 time or a duration like 24h' };
    result.since = since;
  }
  if (texts['cursor'] !== undefined) {
    const before = decodeCursor(texts['cursor']);
    if (before === undefined) return { ok: false, problem: 'cursor: not a cursor this API returned' };
    result.before = before;
  }
  return { ok: true, value: result };
}
