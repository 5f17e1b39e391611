// Numbers and times as the status page words them. Times are shown in UTC: the page has no script to localise them,
// and UTC days are what the daily bars and rollups are cut by.

/**
 * Two decimals, rounded down: 99.996 % of uptime is "99.99", never "100.00", which a visitor would read as "no
 * downtime at all".
 */
export function formatPercent(percent: number): string {
  return (Math.floor(percent * 100) / 100).toFixed(2);
}

/** "12 min", "<1 min" for any downtime under a minute (a blip is not "0 min"), "3 h 5 min", "2 d 4 h". */
export function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return '<1 min';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days} d` : `${days} d ${hours % 24} h`;
}

export function formatMinutes(minutes: number): string {
  return formatDuration(minutes * 60_000);
}

/** "2026-11-20 14:05 UTC". */
export function formatUtc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `YYYY-MM-DD` of the UTC day holding `ms`. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** "10:42" on the day of `now`, else "2026-11-20": when a short history starts. */
export function formatSince(ms: number, now: number): string {
  const iso = new Date(ms).toISOString();
  return utcDay(ms) === utcDay(now) ? iso.slice(11, 16) : iso.slice(0, 10);
}
