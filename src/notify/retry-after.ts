// HTTP's Retry-After (RFC 9110 10.2.3), for channels whose provider says when to come back (Slack's 429): delay
// seconds or an HTTP date, as milliseconds from `now`. Anything else is ignored, and the worker's backoff applies.

/** A provider asking for more than this is capped: the worker's lease and attempt limits stay in charge. */
export const MAX_RETRY_AFTER_MS = 60 * 60 * 1_000;

export function parseRetryAfter(value: string | readonly string[] | undefined, now: number): number | undefined {
  const text = (typeof value === 'string' ? value : value?.[0])?.trim();
  if (text === undefined || text === '') return undefined;
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1_000, MAX_RETRY_AFTER_MS);
  // An HTTP date names its weekday and month; without letters it is a malformed delay ("-1"), not a date.
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.min(Math.max(0, at - now), MAX_RETRY_AFTER_MS);
}
