// The Slack channel from the environment: SLACK_WEBHOOK_URL (or SLACK_WEBHOOK_URL_FILE), an incoming webhook. The URL
// is the credential: nothing here repeats it.

import { createSlackChannel } from '../../notify/slack/slack-channel.js';
import { built, missingVariables, unconfiguredFor, variable, type ChannelSetup, type SetupContext } from './setup.js';

export function slackFromEnv({ env }: SetupContext): ChannelSetup {
  const missing = missingVariables(env, ['SLACK_WEBHOOK_URL']);
  if (missing.length > 0) return unconfiguredFor(missing);
  const webhookUrl = variable(env, 'SLACK_WEBHOOK_URL') ?? '';
  return built(['SLACK_WEBHOOK_URL'], () => createSlackChannel({ webhookUrl }));
}
