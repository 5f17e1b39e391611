// The email channel from the environment: SMTP_HOST turns it on; SMTP_PORT (587 unless set; 465 means TLS from the
// first byte), SMTP_USER with SMTP_PASSWORD (or SMTP_PASSWORD_FILE) when the server wants a login, ALERT_SENDER_EMAIL
// as the sender (vigil@localhost unless set: fine for a mail catcher, set it for a real relay), and
// ALERT_EMAIL_RECIPIENTS adding to config.yml's list.

import { createEmailChannel } from '../../notify/email/email-channel.js';
import {
  built,
  recipientsFromEnv,
  refused,
  unconfiguredFor,
  variable,
  type ChannelSetup,
  type EnvProblem,
  type SetupContext,
} from './setup.js';

export const DEFAULT_SENDER = 'vigil@localhost';
const DEFAULT_PORT = 587;
const IMPLICIT_TLS_PORT = 465;

const ADDRESS = /^[^@\s,]+@[^@\s,]+$/;

function addressProblem(address: string): string | undefined {
  return ADDRESS.test(address) ? undefined : `"${address}" is not an email address (like oncall@example.com)`;
}

export function emailFromEnv({ env, policy }: SetupContext): ChannelSetup {
  const found = recipientsFromEnv(env, 'email', addressProblem);
  const host = variable(env, 'SMTP_HOST');
  if (host === undefined) return unconfiguredFor(['SMTP_HOST'], found);

  const unusable: EnvProblem[] = [];
  const portText = variable(env, 'SMTP_PORT');
  const port = portText === undefined ? DEFAULT_PORT : Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65_535)
    unusable.push({ variable: 'SMTP_PORT', message: `must be a port number (1 to 65535), got "${portText}"` });
  const user = variable(env, 'SMTP_USER');
  const password = variable(env, 'SMTP_PASSWORD');
  if ((user === undefined) !== (password === undefined)) {
    const [set, unset] = user === undefined ? ['SMTP_PASSWORD', 'SMTP_USER'] : ['SMTP_USER', 'SMTP_PASSWORD'];
    unusable.push({ variable: set, message: `is set but ${unset} is not: a login needs both` });
  }
  const from = variable(env, 'ALERT_SENDER_EMAIL') ?? DEFAULT_SENDER;
  if (!/@[^\s<>@]+>?\s*$/.test(from))
    unusable.push({ variable: 'ALERT_SENDER_EMAIL', message: 'must be an address like vigil@example.com' });
  if (unusable.length > 0) return refused(unusable, found);

  const config = {
    host,
    port,
    secure: port === IMPLICIT_TLS_PORT,
    from,
    timeoutMs: policy.timeoutMs,
    maxConnections: policy.concurrency,
    ...(user === undefined ? {} : { user, password }),
  };
  return built(['SMTP_HOST'], () => createEmailChannel(config), found);
}
