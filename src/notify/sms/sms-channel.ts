// The SMS channel: sends the rendered text through the real twilio client (Messages API) and says what came of it.
// 2xx is sent, with Twilio's message sid as the provider id; 429, 5xx and network errors are retried on the worker's
// backoff; any other answer (400 code 21211: not a valid number; 401: bad credentials) is dead. One message per
// recipient, so each number is tracked on its own. The auth token is a secret: no reason or error carries it.

import twilio from 'twilio';
import type { Notification } from '../../model/notification.js';
import type { Channel, SendOptions, SendOutcome } from '../channel.js';
import { oneLine } from '../format.js';
import { validateE164 } from './e164.js';
import { renderSms, type SmsMessage } from './render.js';

export interface SmsChannelConfig {
  /** `AC...`. */
  accountSid: string;
  /** A secret. */
  authToken: string;
  /** The sending number, E.164. */
  from: string;
  /** Another Messages API than Twilio's (`TWILIO_API_BASE_URL`): a local fake in tests. */
  apiBaseUrl?: string;
  /** Per request; twilio's own default is 30 s, longer than a worker wants to hold a lease on one SMS. */
  timeoutMs?: number;
}

/** The one call the channel makes, so tests and the worker see exactly what it needs of the client. */
interface MessagesClient {
  messages: { create(params: { to: string; from: string; body: string }): Promise<{ sid: string }> };
}

const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_REASON_CHARS = 200;

export function createSmsChannel(config: SmsChannelConfig): Channel<SmsMessage> {
  const from = validateE164(config.from);
  if (!from.ok) throw new Error(`sms: the from number ${from.reason}`);
  const client = twilio(config.accountSid, config.authToken, {
    timeout: config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    autoRetry: false,
  });
  if (config.apiBaseUrl !== undefined) client.api.baseUrl = config.apiBaseUrl.replace(/\/+$/, '');
  return {
    name: 'sms',
    render: (notification: Notification, recipient?: string) => {
      if (recipient === undefined) throw new Error('sms: a message needs a recipient number');
      return renderSms(notification, recipient);
    },
    send: (message, options) => sendMessage(client, from.number, message, options),
  };
}

async function sendMessage(
  client: MessagesClient,
  from: string,
  message: SmsMessage,
  { signal }: SendOptions,
): Promise<SendOutcome> {
  if (signal.aborted) return { kind: 'retry', reason: 'sms: the attempt was aborted' };
  // twilio takes no AbortSignal: the attempt stops waiting on abort, and the client's own timeout ends the request.
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<'aborted'>((resolve) => {
    onAbort = () => resolve('aborted');
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    const answer = await Promise.race([client.messages.create({ to: message.to, from, body: message.body }), aborted]);
    if (answer === 'aborted') return { kind: 'retry', reason: 'sms: the attempt was aborted' };
    return { kind: 'sent', providerId: answer.sid };
  } catch (error) {
    return outcomeOfError(error);
  } finally {
    if (onAbort !== undefined) signal.removeEventListener('abort', onAbort);
  }
}

function outcomeOfError(error: unknown): SendOutcome {
  if (error instanceof twilio.RestException) {
    const code = error.code === undefined ? '' : ` (Twilio ${error.code})`;
    const text = oneLine(error.message ?? '').slice(0, MAX_REASON_CHARS);
    const reason = `sms: HTTP ${error.status}${code}${text === '' ? '' : `: ${text}`}`;
    return error.status === 429 || error.status >= 500 ? { kind: 'retry', reason } : { kind: 'dead', reason };
  }
  // axios errors: the code (ECONNREFUSED, ECONNABORTED...) names the failure; their messages can quote the request.
  const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  return {
    kind: 'retry',
    reason: `sms: network error${code ? ` (${code})` : error instanceof Error ? ` (${error.name})` : ''}`,
  };
}
