// Wall-clock time in an IANA time zone, through Intl (no time-zone library). A wall-clock time is encoded as the
// Unix milliseconds it would be in UTC, so cron matching can run on it free of daylight-saving jumps, and each match
// is turned into a real instant here, with one explicit rule for the two DST cases:
// - a wall-clock time that does not exist (skipped when clocks spring forward) is read with the offset in force
//   before the jump, i.e. shifted forward by the jump: 02:30 on a spring-forward night becomes 03:30 (as RFC 5545
//   calendars and Temporal's 'compatible' disambiguation do);
// - a wall-clock time that happens twice (when clocks fall back) is the first of the two.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let cached = formatters.get(timeZone);
  if (!cached) {
    // Throws a RangeError for a time zone Intl does not know.
    cached = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, cached);
  }
  return cached;
}

export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false; // Intl's RangeError is the answer to the question, not a failure.
  }
}

/** The wall-clock time at `instant`, encoded as UTC milliseconds. */
export function toWallClock(timeZone: string, instant: number): number {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day, parts.hour, parts.minute, parts.second);
  return wall + (instant - Math.floor(instant / 1000) * 1000);
}

/** UTC offset at `instant` in milliseconds (local minus UTC). */
export function offsetAt(timeZone: string, instant: number): number {
  return toWallClock(timeZone, instant) - instant;
}

/** The instant a wall-clock time stands for, by the rule in the header. */
export function fromWallClock(timeZone: string, wall: number): number {
  // Real zones change their offset at most once within a day, so the offsets a day either side are the candidates.
  const offsetBefore = offsetAt(timeZone, wall - 86_400_000);
  const offsetAfter = offsetAt(timeZone, wall + 86_400_000);
  const candidates = [wall - offsetBefore, wall - offsetAfter]
    .filter((instant) => toWallClock(timeZone, instant) === wall)
    .sort((a, b) => a - b);
  return candidates[0] ?? wall - offsetBefore;
}
