// The Slack channel: posts the rendered message to an incoming webhook with undici and says what came of it. 2xx is
// sent; 429 is retried after Slack's Retry-After; 5xx and network errors are retried on the worker's backoff; any
// other answer is dead, with Slack's plain-text reason (`invalid_payload`, `channel_not_found`...). The webhook URL is
// a credential, so no reason, error or log line carries it: they name the channel instead.

import { request, type Dispatcher } from 'undici';
import type { Notification } from '../../model/notification.js';
import type { Channel, SendOptions, SendOutcome } from '../channel.js';
import { channelAgent, checkedWebhookUrl, outcomeOfAnswer, outcomeOfRequestError } from '../http-answer.js';
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

export function createSlackChannel(config: SlackChannelConfig): Channel<SlackMessage> {
  const webhookUrl = checkedWebhookUrl('slack', config.webhookUrl);
  const dispatcher = config.dispatcher ?? channelAgent();
  const now = config.now ?? Date.now;
  return {
    name: 'slack',
    render: (notification: Notification) => renderSlackMessage(notification),
    send: (message, options) => postMessage(webhookUrl, dispatcher, now, message, options),
  };
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
    return outcomeOfRequestError('slack', error, signal);
  }
  return outcomeOfAnswer('slack', response, now());
}
