// The generic webhook channel (ALERT_WEBHOOK_URL): posts the documented JSON body (docs/webhook.md) with undici and
// says what came of it: 2xx sent; 429 retried after its Retry-After; 5xx and network errors retried on the worker's
// backoff; any other answer dead. With a secret (ALERT_WEBHOOK_SECRET) the body is signed Stripe-style at send time,
// so the signature's timestamp is fresh on every attempt and a receiver can refuse replays. The URL, its query and
// the secrets are credentials: no reason or error carries them.

import { createHmac } from 'node:crypto';
import { request, type Dispatcher } from 'undici';
import type { Notification } from '../../model/notification.js';
import type { Channel, SendOptions, SendOutcome } from '../channel.js';
import { channelAgent, checkedWebhookUrl, outcomeOfAnswer, outcomeOfRequestError } from '../http-answer.js';
import { renderWebhookMessage, type WebhookMessage } from './render.js';

export interface WebhookChannelConfig {
  /** Where to POST; credentials in it (`https://user:pass@...`) are sent as Basic auth. */
  url: string;
  /** Signs each body with HMAC-SHA256 in `X-Vigil-Signature`. */
  secret?: string;
  /** Sent as `Authorization: Bearer <token>`. */
  bearerToken?: string;
  /** The HTTP client; by default one undici Agent per channel, with timeouts (the send's signal bounds it too). */
  dispatcher?: Dispatcher;
  /** The clock for the signature's timestamp and Retry-After dates. */
  now?: () => number;
}

export const DELIVERY_HEADER = 'x-vigil-delivery';
export const SIGNATURE_HEADER = 'x-vigil-signature';

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`: the timestamp is signed with the body. */
export function webhookSignature(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

export function createWebhookChannel(config: WebhookChannelConfig): Channel<WebhookMessage> {
  const url = checkedWebhookUrl('webhook', config.url);
  // An empty variable in the environment means not configured, not an empty secret.
  const authorization = authorizationOf(url, config.bearerToken || undefined);
  // undici drops credentials in a URL silently: they travel as a header instead, and the URL goes without them.
  url.username = '';
  url.password = '';
  const target = {
    url,
    authorization,
    secret: config.secret || undefined,
    dispatcher: config.dispatcher ?? channelAgent(),
    now: config.now ?? Date.now,
  };
  return {
    name: 'webhook',
    render: (notification: Notification) => renderWebhookMessage(notification),
    send: (message, options) => postMessage(target, message, options),
  };
}

function authorizationOf(url: URL, bearerToken: string | undefined): string | undefined {
  const hasUserinfo = url.username !== '' || url.password !== '';
  if (bearerToken !== undefined && hasUserinfo) {
    throw new Error('webhook: give a bearer token or credentials in the URL, not both');
  }
  if (bearerToken !== undefined) return `Bearer ${bearerToken}`;
  if (!hasUserinfo) return undefined;
  const userinfo = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  return `Basic ${Buffer.from(userinfo, 'utf8').toString('base64')}`;
}

interface Target {
  url: URL;
  authorization: string | undefined;
  secret: string | undefined;
  dispatcher: Dispatcher;
  now: () => number;
}

async function postMessage(target: Target, message: WebhookMessage, { signal }: SendOptions): Promise<SendOutcome> {
  const body = JSON.stringify(message.body);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'Vigil',
    [DELIVERY_HEADER]: message.deliveryId,
  };
  if (target.authorization !== undefined) headers['authorization'] = target.authorization;
  if (target.secret !== undefined) {
    headers[SIGNATURE_HEADER] = webhookSignature(target.secret, body, Math.floor(target.now() / 1_000));
  }
  let response: Dispatcher.ResponseData;
  try {
    response = await request(target.url, { method: 'POST', headers, body, dispatcher: target.dispatcher, signal });
  } catch (error) {
    return outcomeOfRequestError('webhook', error, signal);
  }
  return outcomeOfAnswer('webhook', response, target.now());
}
