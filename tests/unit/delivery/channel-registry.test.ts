// The channel registry: which channels an environment configures, the recipients config.yml and the environment give
// together, why a channel is unconfigured, and the values refused (never quoting a secret).

import { describe, expect, it } from 'vitest';

import { normalizeNotifications } from '../../../src/config/normalize-notifications.js';
import { channelRegistryFromEnv, formatEnvProblem } from '../../../src/delivery/channel-registry.js';
import { createLogger } from '../../../src/log.js';

const logger = createLogger('silent');
const defaults = normalizeNotifications(undefined);

const registryOf = (env: Record<string, string>, settings = defaults) =>
  channelRegistryFromEnv(env, settings, { logger });

const TWILIO = {
  TWILIO_ACCOUNT_SID: 'AC0123456789abcdef0123456789abcdef',
  TWILIO_AUTH_TOKEN: 'twilio-secret-token',
  TWILIO_FROM_NUMBER: '+14155550000',
};

describe('channelRegistryFromEnv', () => {
  it('configures only the console with an empty environment, and says what each other channel needs', () => {
    const registry = registryOf({});
    expect(registry.names()).toEqual(['console']);
    expect(registry.channel('console')?.name).toBe('console');
    expect(registry.channel('email')).toBeUndefined();
    expect(['email', 'sms', 'slack', 'webhook'].map((name) => [name, registry.unconfiguredReason(name)])).toEqual([
      ['email', 'set SMTP_HOST'],
      ['sms', 'set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM_NUMBER'],
      ['slack', 'set SLACK_WEBHOOK_URL'],
      ['webhook', 'set ALERT_WEBHOOK_URL'],
    ]);
    expect(registry.problems).toEqual([]);
  });

  it('configures each channel whose credentials are set, with the factories of notify/', () => {
    const registry = registryOf({
      SMTP_HOST: 'smtp.example.com',
      SMTP_PORT: '465',
      SMTP_USER: 'vigil',
      SMTP_PASSWORD: 'smtp-secret',
      ...TWILIO,
      SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T000/B000/XXXX',
      ALERT_WEBHOOK_URL: 'https://hooks.example.com/vigil',
      ALERT_WEBHOOK_SECRET: 'whsec',
    });
    expect(registry.names()).toEqual(['email', 'sms', 'slack', 'webhook', 'console']);
    for (const name of registry.names()) {
      expect(registry.configured(name)).toBe(true);
      expect(registry.channel(name)?.name).toBe(name);
      expect(registry.unconfiguredReason(name)).toBeUndefined();
    }
    expect(registry.problems).toEqual([]);
  });

  it('takes an empty variable as unset', () => {
    expect(registryOf({ SMTP_HOST: '', SLACK_WEBHOOK_URL: ' ' }).names()).toEqual(['console']);
  });

  it('merges config.yml’s recipients with the environment’s, each once, config.yml first', () => {
    const settings = normalizeNotifications({
      channels: {
        email: { recipients: ['lead@example.com', 'ops@example.com'] },
        sms: { recipients: ['+14155550101'] },
      },
    });
    const registry = registryOf(
      {
        SMTP_HOST: 'smtp.example.com',
        ALERT_EMAIL_RECIPIENTS: 'ops@example.com,oncall@example.com , ',
        ...TWILIO,
        ALERT_SMS_RECIPIENTS: '+14155550100,+14155550101',
      },
      settings,
    );
    expect(registry.recipients('email')).toEqual(['lead@example.com', 'ops@example.com', 'oncall@example.com']);
    expect(registry.recipients('sms')).toEqual(['+14155550101', '+14155550100']);
    expect(registry.recipients('slack')).toEqual([]);
  });

  it('refuses numbers that are not E.164, naming the variable, and keeps the valid ones', () => {
    const registry = registryOf({
      ...TWILIO,
      TWILIO_FROM_NUMBER: '0415 555 0000',
      ALERT_SMS_RECIPIENTS: '+14155550100,4155550101,+1 415 555 0102',
    });
    expect(registry.problems.map(formatEnvProblem)).toEqual([
      'ALERT_SMS_RECIPIENTS: "4155550101" is not an E.164 phone number (like +14155550100)',
      'ALERT_SMS_RECIPIENTS: "+1 415 555 0102" is not an E.164 phone number (like +14155550100)',
      'TWILIO_FROM_NUMBER: "0415 555 0000" is not an E.164 phone number (like +14155550100)',
    ]);
    expect(registry.recipients('sms')).toEqual(['+14155550100']);
    expect(registry.configured('sms')).toBe(false);
    expect(registry.unconfiguredReason('sms')).toBe('fix TWILIO_FROM_NUMBER');
  });

  it('refuses unusable values without quoting a secret', () => {
    const registry = registryOf({
      SMTP_HOST: 'smtp.example.com',
      SMTP_PORT: 'smtps',
      SMTP_PASSWORD: 'smtp-secret',
      ...TWILIO,
      TWILIO_ACCOUNT_SID: 'XX-twilio-sid',
      SLACK_WEBHOOK_URL: 'hooks.slack.com/services/slack-secret',
      ALERT_WEBHOOK_URL: 'ftp://user:webhook-secret@example.com/',
    });
    const lines = registry.problems.map(formatEnvProblem);
    expect(lines).toEqual([
      'SMTP_PORT: must be a port number (1 to 65535), got "smtps"',
      'SMTP_PASSWORD: is set but SMTP_USER is not: a login needs both',
      'TWILIO_ACCOUNT_SID: must start with AC (the Account SID)',
      'SLACK_WEBHOOK_URL: slack: the webhook URL is not a URL',
      'ALERT_WEBHOOK_URL: webhook: the webhook URL is not http(s)',
    ]);
    expect(registry.names()).toEqual(['console']);
    for (const secret of ['smtp-secret', 'twilio-secret-token', 'slack-secret', 'webhook-secret'])
      expect(lines.join('\n')).not.toContain(secret);
  });
});
