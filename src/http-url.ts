// Links taken from labels, annotations and notifications are untrusted: only an http(s) URL is ever offered as one.
//
// The same few URLs come back with every alert (the generatorURL of a rule, Alertmanager's externalURL, the
// configured Prometheus and status page, a runbook), and every notification the receiver plans checks each of its
// alerts' links inside the ingest transaction: parsing them anew each time was a fifth of planning a notification.
// So answers are remembered, for a bounded number of short inputs.

const MEMO_SIZE = 512;
/** Longer inputs are checked every time: a hostile label must not pin megabytes in the memo. */
const MEMO_MAX_LENGTH = 2_048;
const memo = new Map<string, string | undefined>();

/** The URL, normalised, when it is http(s); undefined for anything else (`javascript:`, not a URL, absent). */
export function httpUrl(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (text.length > MEMO_MAX_LENGTH) return parseHttpUrl(text);
  if (memo.has(text)) return memo.get(text);
  const url = parseHttpUrl(text);
  // Dropping the whole memo when it is full keeps this simple; the URLs in use come straight back.
  if (memo.size >= MEMO_SIZE) memo.clear();
  memo.set(text, url);
  return url;
}

function parseHttpUrl(text: string): string | undefined {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
