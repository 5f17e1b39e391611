// The SMS channel from the environment: TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN (or TWILIO_AUTH_TOKEN_FILE) and
// TWILIO_FROM_NUMBER turn it on; TWILIO_API_BASE_URL points it at another Messages API (a regional edge, a test
// fake); ALERT_SMS_RECIPIENTS adds to config.yml's list. Every number must be E.164: a bad one is a problem naming
// its variable, found when the configuration is checked rather than when a page fails to go out.

import { validateE164 } from '../../notify/sms/e164.js';
import { createSmsChannel } from '../../notify/sms/sms-channel.js';
import {
  built,
  missingVariables,
  recipientsFromEnv,
  refused,
  unconfiguredFor,
  variable,
  type ChannelSetup,
  type EnvProblem,
  type SetupContext,
} from './setup.js';

const CREDENTIALS = ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM_NUMBER'] as const;

function numberProblem(number: string): string | undefined {
  const checked = validateE164(number);
  return checked.ok ? undefined : checked.reason;
}

export function smsFromEnv({ env, policy }: SetupContext): ChannelSetup {
  const found = recipientsFromEnv(env, 'sms', numberProblem);
  const missing = missingVariables(env, CREDENTIALS);
  if (missing.length > 0) return unconfiguredFor(missing, found);

  const accountSid = variable(env, 'TWILIO_ACCOUNT_SID') ?? '';
  const from = variable(env, 'TWILIO_FROM_NUMBER') ?? '';
  const unusable: EnvProblem[] = [];
  if (!accountSid.startsWith('AC'))
    unusable.push({ variable: 'TWILIO_ACCOUNT_SID', message: 'must start with AC (the Account SID)' });
  const fromReason = numberProblem(from);
  if (fromReason !== undefined) unusable.push({ variable: 'TWILIO_FROM_NUMBER', message: fromReason });
  if (unusable.length > 0) return refused(unusable, found);

  const apiBaseUrl = variable(env, 'TWILIO_API_BASE_URL');
  const config = {
    accountSid,
    authToken: variable(env, 'TWILIO_AUTH_TOKEN') ?? '',
    from,
    timeoutMs: policy.timeoutMs,
    ...(apiBaseUrl === undefined ? {} : { apiBaseUrl }),
  };
  return built(CREDENTIALS, () => createSmsChannel(config), found);
}
