// The checks.yml rules a JSON Schema cannot express: unique ids, a timeout below the interval after inheritance,
// thresholds in order after inheritance, and at least one check. Each problem points at where the wrong value was
// written, which may be a group or `defaults:` rather than the check.

import {
  checkEntries,
  inherited,
  inheritedThreshold,
  isMapping,
  type CheckEntry,
  type Written,
} from './check-entries.js';
import { INTERVAL_RANGE, TIMEOUT_RANGE, durationRangeProblem, parseDuration, type DurationRange } from './duration.js';
import { childPointer, displayPath, parentPointer } from './pointer.js';
import type { ConfigProblem } from './types.js';
import type { ConfigDocument } from './yaml-document.js';

export const DEFAULT_INTERVAL = '60s';

export function checkRules(document: ConfigDocument): ConfigProblem[] {
  const entries = checkEntries(document.value);
  return [
    ...noChecks(document, entries),
    ...duplicateIds(document, entries),
    ...entries.flatMap((entry) => [...timeoutBelowInterval(document, entry), ...thresholdsInOrder(document, entry)]),
  ];
}

function noChecks(document: ConfigDocument, entries: CheckEntry[]): ConfigProblem[] {
  const root = document.value;
  if (entries.length > 0 || !isMapping(root)) return [];
  const listsOrAbsent = [root['groups'], root['checks']].every((list) => list === undefined || Array.isArray(list));
  return listsOrAbsent ? [document.problem('', 'defines no checks: add a `groups:` list or a `checks:` list')] : [];
}

function duplicateIds(document: ConfigDocument, entries: CheckEntry[]): ConfigProblem[] {
  const first = new Map<string, string>();
  const problems: ConfigProblem[] = [];
  for (const entry of entries) {
    const id = entry.data['id'];
    if (typeof id !== 'string') continue;
    const pointer = childPointer(entry.pointer, 'id');
    const earlier = first.get(id);
    if (earlier === undefined) first.set(id, pointer);
    else {
      const message = `duplicate check id \`${id}\` (first defined at ${document.where(earlier)})`;
      problems.push(document.problem(pointer, message));
    }
  }
  return problems;
}

/** Milliseconds of a written duration that is valid and in range; undefined otherwise (the schema reports it). */
function validDuration(written: Written | undefined, range: DurationRange): number | undefined {
  if (typeof written?.value !== 'string' || durationRangeProblem(written.value, range) !== undefined) return undefined;
  return parseDuration(written.value);
}

/** An unset timeout is fitted below the interval; one the user set must already be below it. */
function timeoutBelowInterval(document: ConfigDocument, entry: CheckEntry): ConfigProblem[] {
  const timeout = inherited(entry, 'timeout');
  const interval = inherited(entry, 'interval');
  const timeoutMs = validDuration(timeout, TIMEOUT_RANGE);
  const intervalMs = interval ? validDuration(interval, INTERVAL_RANGE) : parseDuration(DEFAULT_INTERVAL);
  if (!timeout || timeoutMs === undefined || intervalMs === undefined || timeoutMs < intervalMs) return [];
  const words = intervalWords(document, entry, timeout, interval);
  return [document.problem(timeout.pointer, `must be less than ${words}, got ${String(timeout.value)}`)];
}

function intervalWords(document: ConfigDocument, entry: CheckEntry, timeout: Written, interval?: Written): string {
  if (!interval) return `the default interval (${DEFAULT_INTERVAL})`;
  const value = String(interval.value);
  if (parentPointer(interval.pointer) === parentPointer(timeout.pointer)) return `the interval (${value})`;
  const id = String(entry.data['id']);
  if (parentPointer(interval.pointer) === entry.pointer) return `the interval of check \`${id}\` (${value})`;
  return `the interval set at ${displayPath(interval.pointer, document.value)} (${value})`;
}

const THRESHOLDS = ['target_ms', 'warn_threshold_ms', 'critical_threshold_ms'] as const;

/** target_ms <= warn_threshold_ms <= critical_threshold_ms, each as inherited; reported on the larger one. */
function thresholdsInOrder(document: ConfigDocument, entry: CheckEntry): ConfigProblem[] {
  const written = THRESHOLDS.map((key) => ({ key, at: inheritedThreshold(entry, key) })).filter(
    (threshold): threshold is { key: (typeof THRESHOLDS)[number]; at: Written & { value: number } } =>
      typeof threshold.at?.value === 'number',
  );
  const problems: ConfigProblem[] = [];
  written.forEach((upper, index) => {
    const lower = written[index - 1];
    if (lower === undefined || lower.at.value <= upper.at.value) return;
    const message = `must be at least ${lower.key} (${lower.at.value}), got ${upper.at.value}`;
    problems.push(document.problem(upper.at.pointer, message));
  });
  return problems;
}
