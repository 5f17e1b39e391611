// `vigil check-config` on notification settings: a route to a channel that cannot deliver is a warning (the config
// stays valid, exit 0), a phone number that is not E.164 is a problem (exit 1), in config.yml or in the environment.

import path from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { checkConfig } from '../../../src/commands/check-config.js';
import { writeConfigDir } from '../config/fixtures.js';

const CHECKS = 'checks:\n  - {id: homepage, endpoint: {url: "https://example.com/"}}\n';

const dirs: Array<() => void> = [];
afterAll(() => dirs.forEach((remove) => remove()));

function configDir(configYml?: string): string {
  const { dir, remove } = writeConfigDir({
    'checks.yml': CHECKS,
    ...(configYml === undefined ? {} : { 'config.yml': configYml }),
  });
  dirs.push(remove);
  return dir;
}

const ROUTES = `notifications:
  routes:
    - match: {severity: critical}
      channels: {email: {}, sms: {}, slack: {}}
`;

describe('check-config', () => {
  it('warns once per route channel that is unconfigured, and stays valid', () => {
    const dir = configDir(ROUTES);
    const checked = checkConfig(dir, { SMTP_HOST: 'smtp.example.com', ALERT_EMAIL_RECIPIENTS: 'oncall@example.com' });
    const file = path.join(dir, 'config.yml');
    expect(checked).toEqual({
      ok: true,
      checkCount: 1,
      warnings: [
        `${file}: notifications.routes[0].channels.sms: unconfigured (set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, ` +
          'TWILIO_FROM_NUMBER); other channels still deliver',
        `${file}: notifications.routes[0].channels.slack: unconfigured (set SLACK_WEBHOOK_URL); other channels still deliver`,
      ],
    });
  });

  it('warns of email with nobody to send to', () => {
    const dir = configDir(ROUTES);
    const checked = checkConfig(dir, {
      SMTP_HOST: 'smtp.example.com',
      SLACK_WEBHOOK_URL: 'https://hooks.example.com/x',
    });
    expect(checked.ok && checked.warnings[0]).toBe(
      `${path.join(dir, 'config.yml')}: notifications.routes[0].channels.email: no recipients (list them on the ` +
        'route, in notifications.channels.email.recipients or in ALERT_EMAIL_RECIPIENTS); other channels still deliver',
    );
  });

  it('with the default routes and no credentials, warns once per channel and says the console prints', () => {
    const dir = configDir();
    const checked = checkConfig(dir, {});
    const file = path.join(dir, 'config.yml');
    expect(checked).toEqual({
      ok: true,
      checkCount: 1,
      warnings: [
        `${file}: notifications.channels.email: unconfigured (set SMTP_HOST), and the default routes send critical, ` +
          'warning and info alerts to it; the console prints what would be sent',
        `${file}: notifications.channels.sms: unconfigured (set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, ` +
          'TWILIO_FROM_NUMBER), and the default routes send critical alerts to it; the console prints what would be sent',
        `${file}: notifications.channels.slack: unconfigured (set SLACK_WEBHOOK_URL), and the default routes send ` +
          'critical and warning alerts to it; the console prints what would be sent',
      ],
    });
  });

  it('has no warning when every routed channel can deliver', () => {
    const dir = configDir('notifications:\n  routes:\n    - channels: {console: {}}\n');
    expect(checkConfig(dir, {})).toEqual({ ok: true, checkCount: 1, warnings: [] });
  });

  it('refuses a number in ALERT_SMS_RECIPIENTS that is not E.164, naming the variable', () => {
    expect(checkConfig(configDir(), { ALERT_SMS_RECIPIENTS: '+14155550100,555-0100' })).toEqual({
      ok: false,
      problems: ['environment: ALERT_SMS_RECIPIENTS: "555-0100" is not an E.164 phone number (like +14155550100)'],
    });
  });

  it('refuses a number in config.yml that is not E.164, where it was written', () => {
    const dir = configDir('notifications:\n  channels:\n    sms: {recipients: ["0415 555 0100"]}\n');
    expect(checkConfig(dir, {})).toEqual({
      ok: false,
      problems: [
        `${path.join(dir, 'config.yml')}:3:24: notifications.channels.sms.recipients[0]: must be an E.164 phone ` +
          'number like +14155550100, got `0415 555 0100`',
      ],
    });
  });
});
