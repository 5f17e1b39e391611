// The Slack channel: posts the rendered message to an incoming webhook with undici and says what came of it. 2xx is
// sent; 429 is retried after Slack's Retry-After; 5xx and network errors are retried on the worker's backoff; any
// other answer is dead, with Slack's plain-text reason (`invalid_payload`, `channel_not_found`...). The webhook URL is
// a credential, so no reason, error or log line carries it: they name the channel instead.

import { Agent, request, type Dispatcher } from 'undici';
import type { Notification } from '../../model/notification.js';
import type { Channel, SendOptions, SendOutcome } from '../channel.js';
import { oneLine } from '../format.js';
import { parseRetryAfter } from '../retry-after.js';
import type { SlackMessage } from './blocks.js';
import { renderSlackMessage } from './render.js';

export interface SlackChannelConfig {
  /** `https://hooks.slack.com/services/...`: a secret. */
  webhookUrl: string;
  /** The HTTP client; by default one undici Agent per channel, with timeouts (the send's signal bounds it too). */
  dispatcher?: Dispatcher;
  /** The clock Retry-After dates are read against. */
  now?: () => number;
}

/** Enough of Slack's answer to name the reason; the rest is not read. */
const MAX_REASON_BYTES = 512;
const CONNECT_TIMEOUT_MS = 10_000;
const RESPONSE_TIMEOUT_MS = 30_000;

export function createSlackChannel(config: SlackChannelConfig): Channel<SlackMessage> {
  const webhookUrl = checkedWebhookUrl(config.webhookUrl);
  const dispatcher =
    config.dispatcher ??
    new Agent({
      connectTimeout: CONNECT_TIMEOUT_MS,
      headersTimeout: RESPONSE_TIMEOUT_MS,
      bodyTimeout: RESPONSE_TIMEOUT_MS,
    });
  const now = config.now ?? Date.now;
  return {
    name: 'slack',
    render: (notification: Notification) => renderSlackMessage(notification),
    send: (message, options) => postMessage(webhookUrl, dispatcher, now, message, options),
  };
}

/** Refuses a URL that is not http(s) when the channel is made, so a bad config never shows up as a send failure. */
function checkedWebhookUrl(webhookUrl: string): URL {
  let url: URL;
  try {
    url = new URL(webhookUrl);
  } catch {
    throw new Error('slack: the webhook URL is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('slack: the webhook URL is not http(s)');
  return url;
}

async function postMessage(
  webhookUrl: URL,
  dispatcher: Dispatcher,
  now: () => number,
  message: SlackMessage,
  { signal }: SendOptions,
): Promise<SendOutcome> {
  let response: Dispatcher.ResponseData;
  try {
    response = await request(webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(message),
      dispatcher,
      signal,
    });
  } catch (error) {
    return { kind: 'retry', reason: signal.aborted ? 'slack: the attempt was aborted' : networkReason(error) };
  }
  const { statusCode } = response;
  if (statusCode >= 200 && statusCode < 300) {
    // Slack has taken the message; its `ok` body is not worth a failed send.
    await response.body.dump().catch(() => undefined);
    return { kind: 'sent' };
  }
  const reason = `slack: HTTP ${statusCode}${await slackReason(response.body)}`;
  if (statusCode === 429) {
    const afterMs = parseRetryAfter(response.headers['retry-after'], now());
    return afterMs === undefined ? { kind: 'retry', reason } : { kind: 'retry', reason, afterMs };
  }
  if (statusCode >= 500) return { kind: 'retry', reason };
  return { kind: 'dead', reason };
}

/** The error's code (ECONNREFUSED, UND_ERR_SOCKET...): messages can quote the host, the code never does. */
function networkReason(error: unknown): string {
  const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  return `slack: network error${code ? ` (${code})` : error instanceof Error ? ` (${error.name})` : ''}`;
}

/** Slack's plain-text error, on one line and bounded: `: channel_not_found`. */
async function slackReason(body: Dispatcher.ResponseData['body']): Promise<string> {
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
