// Prometheus-style durations (`500ms`, `30s`, `5m`, `1h30m`, `7d`): units from largest to smallest, each at most once.

const UNIT_MS = { y: 365 * 86_400_000, w: 7 * 86_400_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };
const UNITS = ['y', 'w', 'd', 'h', 'm', 's', 'ms'] as const;

/** The JSON Schema pattern for a duration string; the same grammar `parseDuration` accepts. */
export const DURATION_PATTERN = `^(?:0|(?=\\d)${UNITS.map((unit) => `(?:\\d+${unit})?`).join('')})$`;

const DURATION = new RegExp(`^(?:0|(?=\\d)${UNITS.map((unit) => `(?:(\\d+)${unit})?`).join('')})$`);

/** Milliseconds for a duration string, or undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (!match) return undefined;
  let total = 0;
  UNITS.forEach((unit, index) => {
    const amount = match[index + 1];
    if (amount !== undefined) total += Number(amount) * UNIT_MS[unit];
  });
  return Number.isSafeInteger(total) ? total : undefined;
}

/** Inclusive bounds, written as durations so messages and schemas can show them as the user would. */
export interface DurationRange {
  min: string;
  max: string;
}

export const INTERVAL_RANGE: DurationRange = { min: '10s', max: '1h' };
export const TIMEOUT_RANGE: DurationRange = { min: '1s', max: '60s' };
/** How late a push check's ping may be: up to a week, so a daily job can be given a long grace. */
export const PUSH_GRACE_RANGE: DurationRange = { min: '0s', max: '7d' };

/** Why `text` is outside `range`, or undefined when it is inside (or is not a duration at all). */
export function durationRangeProblem(text: string, range: DurationRange): string | undefined {
  const ms = parseDuration(text);
  if (ms === undefined) return undefined;
  if (ms < (parseDuration(range.min) ?? 0)) return `must be at least ${range.min}, got ${text}`;
  if (ms > (parseDuration(range.max) ?? Infinity)) return `must be at most ${range.max}, got ${text}`;
  return undefined;
}
