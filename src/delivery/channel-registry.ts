// The channels this process can send through, built from the environment (credentials live nowhere else) and
// config.yml's notification settings: for the outbox worker, the channel of a job; for routing, which channels are
// configured and who each one's recipients are; for `vigil check-config`, why a channel is not configured and which
// values are unusable. Nothing here carries a secret into a message.

import { NOTIFICATION_CHANNELS, type ChannelName } from '../config/schema/settings/notifications.js';
import type { Logger } from '../log.js';
import type { NotificationSettings } from '../model/routing.js';
import type { Channel } from '../notify/channel.js';
import { consoleFromEnv } from './channel-env/console.js';
import { emailFromEnv } from './channel-env/email.js';
import type { ChannelFromEnv, ChannelSetup, Env, EnvProblem } from './channel-env/setup.js';
import { slackFromEnv } from './channel-env/slack.js';
import { smsFromEnv } from './channel-env/sms.js';
import { webhookFromEnv } from './channel-env/webhook.js';

export type { EnvProblem } from './channel-env/setup.js';

/** Each channel routes may name, and how it reads the environment. */
const FROM_ENV = {
  email: emailFromEnv,
  sms: smsFromEnv,
  slack: slackFromEnv,
  webhook: webhookFromEnv,
  console: consoleFromEnv,
} satisfies Record<ChannelName, ChannelFromEnv>;

export interface ChannelRegistry {
  /** The channel to send through, when it is configured. */
  channel(name: string): Channel<unknown> | undefined;
  configured(name: string): boolean;
  /** config.yml's list for the channel, then the environment's, each once; empty for single-destination channels. */
  recipients(name: string): string[];
  /** The configured channels, in the order routes document them (console last). */
  names(): string[];
  /** Why a channel is not configured (`set SMTP_HOST`), or undefined when it is. */
  unconfiguredReason(name: string): string | undefined;
  /** Variables set to something unusable (an invalid phone number in ALERT_SMS_RECIPIENTS, a port that is not one). */
  readonly problems: readonly EnvProblem[];
}

export interface RegistryOptions {
  /** Where the console channel writes. */
  logger: Logger;
}

export function channelRegistryFromEnv(
  env: Env,
  settings: NotificationSettings,
  options: RegistryOptions,
): ChannelRegistry {
  const setups = new Map<string, ChannelSetup>(
    NOTIFICATION_CHANNELS.map((name) => [
      name,
      FROM_ENV[name]({ env, policy: settings.policies[name] ?? settings.defaultPolicy, logger: options.logger }),
    ]),
  );
  const recipients = new Map<string, string[]>(
    NOTIFICATION_CHANNELS.map((name) => [
      name,
      [...new Set([...(settings.recipients[name] ?? []), ...(setups.get(name)?.recipients ?? [])])],
    ]),
  );
  return {
    channel: (name) => setups.get(name)?.channel,
    configured: (name) => setups.get(name)?.channel !== undefined,
    recipients: (name) => [...(recipients.get(name) ?? [])],
    names: () => NOTIFICATION_CHANNELS.filter((name) => setups.get(name)?.channel !== undefined),
    unconfiguredReason: (name) => {
      const setup = setups.get(name);
      if (setup === undefined) return `unknown channel (known: ${NOTIFICATION_CHANNELS.join(', ')})`;
      return setup.channel === undefined ? setup.unconfigured : undefined;
    },
    problems: [...setups.values()].flatMap((setup) => setup.problems),
  };
}

/** `ALERT_SMS_RECIPIENTS: "+1 415" is not an E.164 phone number (like +14155550100)`. */
export function formatEnvProblem(problem: EnvProblem): string {
  return `${problem.variable}: ${problem.message}`;
}
