// What every rule reads off a check's evidence the same way: the failing run at the end of its results, when it
// began, when the check last passed, and the words rules put figures in (UTC times, spans, quoted messages). Pure.

import type { CheckEvidence, ResultEvidence } from '../../model/diagnosis.js';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export function isFailure(result: ResultEvidence): boolean {
  return result.status === 'down';
}

export function isPass(result: ResultEvidence): boolean {
  return result.status === 'healthy' || result.status === 'degraded';
}

/** The failed results at the end of the check's results, oldest first; empty when the newest result did not fail. */
export function failingRun(check: CheckEvidence): ResultEvidence[] {
  const run: ResultEvidence[] = [];
  for (let index = check.recent.length - 1; index >= 0; index -= 1) {
    const result = check.recent[index]!;
    if (!isFailure(result)) break;
    run.push(result);
  }
  return run.reverse();
}

/** A failing run of HTTP 5xx answers, as the deployment and server_error rules read it. */
export interface ServerErrorRun {
  run: ResultEvidence[];
  first: ResultEvidence;
  statuses: string;
  /** Every status 502 or 504: the proxy in front of the application answers, not the application. */
  proxy: boolean;
}

/** The failing run when every result in it is an HTTP 5xx: its statuses ("500, 503"), and whether all are proxy errors. */
export function serverErrorRun(check: CheckEvidence): ServerErrorRun | undefined {
  const run = failingRun(check);
  const first = run[0];
  if (first === undefined || !run.every((result) => (result.httpStatus ?? 0) >= 500)) return undefined;
  return {
    run,
    first,
    statuses: [...new Set(run.map((result) => result.httpStatus))].sort().join(', '),
    proxy: run.every((result) => result.httpStatus === 502 || result.httpStatus === 504),
  };
}

/** The newest result, when it failed: what the rules explain. */
export function currentFailure(check: CheckEvidence): ResultEvidence | undefined {
  const newest = check.recent.at(-1);
  return newest !== undefined && isFailure(newest) ? newest : undefined;
}

/** The results before the failing run: the check's behaviour while it still passed. */
export function beforeFailure(check: CheckEvidence): ResultEvidence[] {
  return check.recent.slice(0, check.recent.length - failingRun(check).length);
}

/** The check as a sentence names it: `api_root (API Root)`. */
export function checkLabel(check: CheckEvidence): string {
  return check.name !== undefined && check.name !== check.checkId ? `${check.checkId} (${check.name})` : check.checkId;
}

/** "5 failed results since 2025-01-06 14:02 UTC (the last: "…")": the common first evidence item. */
export function describeRun(check: CheckEvidence, run: readonly ResultEvidence[]): string {
  const first = run[0];
  const last = run.at(-1);
  if (first === undefined || last === undefined) return `${checkLabel(check)} has no failed result in the lookback`;
  const count = run.length === 1 ? 'one failed result' : `${run.length} consecutive failed results`;
  return `${checkLabel(check)}: ${count} since ${formatTime(first.at)} (the last: ${quote(last.message)})`;
}

/** "last healthy at 2025-01-06 14:01 UTC", or undefined when unknown. */
export function describeLastHealthy(check: CheckEvidence): string | undefined {
  if (check.lastHealthyAt === undefined) return undefined;
  return `${checkLabel(check)} last passed at ${formatTime(check.lastHealthyAt)}`;
}

/** 2025-01-06T14:02:31Z → "2025-01-06 14:02 UTC". */
export function formatTime(at: number): string {
  return `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** A span in the largest sensible units: "3 days 4 hours", "2 hours 5 minutes", "45 minutes", "30 seconds". */
export function formatSpan(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < MINUTE) return plural(Math.round(abs / 1000), 'second');
  if (abs < HOUR) return plural(Math.floor(abs / MINUTE), 'minute');
  if (abs < DAY) return joinUnits(Math.floor(abs / HOUR), 'hour', Math.floor((abs % HOUR) / MINUTE), 'minute');
  return joinUnits(Math.floor(abs / DAY), 'day', Math.floor((abs % DAY) / HOUR), 'hour');
}

export function formatMs(ms: number): string {
  return `${Math.round(ms)} ms`;
}

export function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

/** A message quoted in an evidence sentence: one line, at most 200 characters. */
export function quote(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return `"${line.length > 200 ? `${line.slice(0, 199)}…` : line}"`;
}

/** Pieces that are present, as they are: for lists built of optional sentences. */
export function present<T>(...items: Array<T | undefined | false>): T[] {
  return items.filter((item): item is T => item !== undefined && item !== false);
}

/** For a command line: the value in single quotes when it holds anything a shell would read. */
export function shellWord(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function joinUnits(major: number, majorUnit: string, minor: number, minorUnit: string): string {
  return minor === 0 ? plural(major, majorUnit) : `${plural(major, majorUnit)} ${plural(minor, minorUnit)}`;
}
