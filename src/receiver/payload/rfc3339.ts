// RFC 3339 timestamps as Go's encoding/json writes them (`2024-05-01T12:00:00.123456789+02:00`). JavaScript's
// Date.parse is lenient (it takes `2024-02-30` as March 1st), so the fields are checked one by one. Alertmanager
// sends the zero time `0001-01-01T00:00:00Z` for "no end yet".

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|([+-])(\d{2}):(\d{2}))$/;

/** 0001-01-01T00:00:00Z (Date.UTC would read the year 1 as 1901). */
export const ZERO_TIME_MS = -62_135_596_800_000;

/**
 * Unix milliseconds of an RFC 3339 timestamp, or undefined when it is not a valid one. A notification repeats the
 * same few timestamps (the zero end time, one start per group), and each is read twice (the schema's check, then
 * the value), so the last few hundred answers are kept.
 */
export function parseRfc3339(text: string): number | undefined {
  const known = recent.get(text);
  if (known !== undefined || recent.has(text)) return known;
  const parsed = parse(text);
  if (recent.size >= RECENT_LIMIT) recent.clear();
  recent.set(text, parsed);
  return parsed;
}

const RECENT_LIMIT = 256;
const recent = new Map<string, number | undefined>();

function parse(text: string): number | undefined {
  const match = RFC3339.exec(text);
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const hour = Number(match[4]);
  const minute = Number(match[5]);
  const second = Number(match[6]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const offsetHours = Number(match[10] ?? 0);
  const offsetMinutes = Number(match[11] ?? 0);
  if (offsetHours > 23 || offsetMinutes > 59) return undefined;
  const sign = match[9] === '-' ? -1 : 1;
  const fraction = match[7] === undefined ? 0 : Math.floor(Number(`0${match[7]}`) * 1000);
  return utcMs(year, month, day, hour, minute, second, fraction) - sign * (offsetHours * 60 + offsetMinutes) * 60_000;
}

function utcMs(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  ms: number,
): number {
  if (year >= 100) return Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day);
  utc.setUTCHours(hour, minute, second, ms);
  return utc.getTime();
}

/** True for Go's zero time, which Alertmanager uses for an unset end. */
export function isZeroTime(ms: number): boolean {
  return ms <= ZERO_TIME_MS;
}

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}
