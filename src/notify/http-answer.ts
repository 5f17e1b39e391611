// What the HTTP channels (Slack, the generic webhook...) share: their client and URL check, and what an attempt came
// to, from the answer's status or the request's error, with a reason: the start of the provider's error body on one
// line, or the network error's code. Nothing here quotes the URL, which can be a credential (a Slack webhook URL, a
// token in a query string).

import { Agent, type Dispatcher } from 'undici';
import type { SendOutcome } from './channel.js';
import { oneLine } from './format.js';
import { parseRetryAfter } from './retry-after.js';

const CONNECT_TIMEOUT_MS = 10_000;
const RESPONSE_TIMEOUT_MS = 30_000;

/** A channel's own HTTP client when none is passed in: undici's defaults wait minutes, a send should not. */
export function channelAgent(): Dispatcher {
  return new Agent({
    connectTimeout: CONNECT_TIMEOUT_MS,
    headersTimeout: RESPONSE_TIMEOUT_MS,
    bodyTimeout: RESPONSE_TIMEOUT_MS,
  });
}

/** Refuses a URL that is not http(s) when the channel is made (so a bad config never shows up as a send failure),
 * without quoting it. */
export function checkedWebhookUrl(channel: string, webhookUrl: string): URL {
  let url: URL;
  try {
    url = new URL(webhookUrl);
  } catch {
    throw new Error(`${channel}: the webhook URL is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new Error(`${channel}: the webhook URL is not http(s)`);
  return url;
}

/** Enough of an error body to name the reason; the rest is not read. */
export const MAX_REASON_BYTES = 512;

/** The start of an error body, on one line and bounded, as `: invalid_payload`; empty when there is none. */
export async function errorBodyReason(body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= MAX_REASON_BYTES) break;
    }
  } catch {
    // The status already says what happened; a body cut short only loses its wording.
  }
  const text = oneLine(Buffer.concat(chunks).subarray(0, MAX_REASON_BYTES).toString('utf8'));
  return text === '' ? '' : `: ${text}`;
}

/** `network error (ECONNREFUSED)`: an error's message can quote the host, its code never does. */
export function networkErrorReason(error: unknown): string {
  const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  return `network error${code ? ` (${code})` : error instanceof Error ? ` (${error.name})` : ''}`;
}

/**
 * What an HTTP answer comes to: 2xx sent; 429 retried after its Retry-After (else on the worker's backoff); 5xx
 * retried; any other status dead, since the same request would be refused the same way. `channel` prefixes the reason.
 */
export async function outcomeOfAnswer(
  channel: string,
  response: Dispatcher.ResponseData,
  now: number,
): Promise<SendOutcome> {
  const { statusCode } = response;
  if (statusCode >= 200 && statusCode < 300) {
    // The provider has taken the message; its answer's body is not worth a failed send.
    await response.body.dump().catch(() => undefined);
    return { kind: 'sent' };
  }
  const reason = `${channel}: HTTP ${statusCode}${await errorBodyReason(response.body)}`;
  if (statusCode === 429) {
    const afterMs = parseRetryAfter(response.headers['retry-after'], now);
    return afterMs === undefined ? { kind: 'retry', reason } : { kind: 'retry', reason, afterMs };
  }
  if (statusCode >= 500) return { kind: 'retry', reason };
  return { kind: 'dead', reason };
}

/** A request that never got an answer: worth another try, whether it was aborted or the network failed. */
export function outcomeOfRequestError(channel: string, error: unknown, signal: AbortSignal): SendOutcome {
  return {
    kind: 'retry',
    reason: signal.aborted ? `${channel}: the attempt was aborted` : `${channel}: ${networkErrorReason(error)}`,
  };
}
