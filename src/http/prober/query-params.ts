// The query parameters of the prober's JSON API, read strictly: a parameter given twice, a limit in another
// notation (`1e3`, `0x10`), a negative or free-form time is refused with a 400 naming the parameter, rather than
// read as something the client did not mean.

import type { Request } from 'express';
import { parseRfc3339 } from '../../receiver/payload/rfc3339.js';
import { SLA_WINDOW_NAMES, type SlaWindow } from '../../model/sla-window.js';
import { isSlaWindow } from '../../sla/windows.js';
import { RequestProblem } from '../request-problem.js';

export const MAX_LIMIT = 10_000;

/** A parameter's one value; undefined when absent. */
export function singleParam(req: Request, name: string): string | undefined {
  const value: unknown = req.query[name];
  if (value === undefined || typeof value === 'string') return value;
  const times = Array.isArray(value) ? value.length : 'several';
  throw new RequestProblem(400, `${name} must be given once, got it ${times} times`);
}

/** A whole number in plain decimal digits from 1 to MAX_LIMIT. */
export function limitParam(req: Request, fallback: number): number {
  const text = singleParam(req, 'limit');
  if (text === undefined) return fallback;
  const limit = Number(text);
  if (!/^[1-9]\d{0,5}$/.test(text) || limit > MAX_LIMIT) {
    throw new RequestProblem(400, `limit must be an integer from 1 to ${MAX_LIMIT}, got \`${shown(text)}\``);
  }
  return limit;
}

/** Unix seconds (up to 10 digits) or milliseconds (11 to 13), or an RFC 3339 time; undefined when absent. */
export function timeParam(req: Request, name: string): number | undefined {
  const text = singleParam(req, name);
  if (text === undefined) return undefined;
  if (/^\d{1,10}$/.test(text)) return Number(text) * 1000;
  if (/^\d{11,13}$/.test(text)) return Number(text);
  const time = parseRfc3339(text);
  if (time === undefined) {
    throw new RequestProblem(400, `${name} must be an ISO 8601 time or Unix seconds, got \`${shown(text)}\``);
  }
  return time;
}

export function periodParam(req: Request, fallback: SlaWindow): SlaWindow {
  const period = singleParam(req, 'period') ?? fallback;
  if (!isSlaWindow(period)) {
    throw new RequestProblem(400, `period must be one of ${SLA_WINDOW_NAMES.join(', ')}, got \`${shown(period)}\``);
  }
  return period;
}

/** `state=open` for the open incidents only; left out for every incident. */
export function openOnlyParam(req: Request): boolean {
  const state = singleParam(req, 'state');
  if (state === undefined) return false;
  if (state !== 'open') {
    throw new RequestProblem(400, `state must be \`open\` (or left out for every incident), got \`${shown(state)}\``);
  }
  return true;
}

/** A value quoted back in an answer, cut short so the answer stays small. */
function shown(text: string): string {
  return text.length > 64 ? `${text.slice(0, 64)}…` : text;
}
