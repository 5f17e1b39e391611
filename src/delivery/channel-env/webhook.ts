// The generic webhook channel from the environment: ALERT_WEBHOOK_URL turns it on; ALERT_WEBHOOK_SECRET (or
// ALERT_WEBHOOK_SECRET_FILE) signs each body (docs/webhook.md).

import { createWebhookChannel } from '../../notify/webhook/webhook-channel.js';
import { built, missingVariables, unconfiguredFor, variable, type ChannelSetup, type SetupContext } from './setup.js';

export function webhookFromEnv({ env }: SetupContext): ChannelSetup {
  const missing = missingVariables(env, ['ALERT_WEBHOOK_URL']);
  if (missing.length > 0) return unconfiguredFor(missing);
  const url = variable(env, 'ALERT_WEBHOOK_URL') ?? '';
  const secret = variable(env, 'ALERT_WEBHOOK_SECRET');
  const config = { url, ...(secret === undefined ? {} : { secret }) };
  return built(['ALERT_WEBHOOK_URL'], () => createWebhookChannel(config));
}
