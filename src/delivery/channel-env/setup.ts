// What reading one channel's settings from the environment gives: the channel when its credentials are there, the
// recipients the environment adds, why it is not configured otherwise, and the problems to report (a value set but
// unusable). One file per channel beside this one does the reading; the registry puts them together.

import type { Logger } from '../../log.js';
import type { ChannelPolicy } from '../../model/routing.js';
import type { Channel } from '../../notify/channel.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** A variable set to something unusable. Messages never quote a secret. */
export interface EnvProblem {
  variable: string;
  message: string;
}

export interface SetupContext {
  env: Env;
  /** The channel's outbox policy: its timeout bounds the channel's own client timeouts. */
  policy: ChannelPolicy;
  logger: Logger;
}

export interface ChannelSetup {
  /** Absent when the channel is not configured. */
  channel?: Channel<unknown>;
  /** Recipients from the environment (ALERT_EMAIL_RECIPIENTS, ALERT_SMS_RECIPIENTS), the valid ones. */
  recipients: string[];
  /** Why the channel is not configured, as advice: `set SMTP_HOST`, or what is wrong with a value. */
  unconfigured?: string;
  problems: EnvProblem[];
}

export type ChannelFromEnv = (context: SetupContext) => ChannelSetup;

/** Where the environment lists recipients, for the channels that have several. */
export const RECIPIENT_VARIABLES: Readonly<Record<string, string>> = {
  email: 'ALERT_EMAIL_RECIPIENTS',
  sms: 'ALERT_SMS_RECIPIENTS',
};

/** A variable's value; an empty one counts as unset, as a blank line in an env file means. */
export function variable(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value;
}

/** The variables of `names` that are unset. */
export function missingVariables(env: Env, names: readonly string[]): string[] {
  return names.filter((name) => variable(env, name) === undefined);
}

/** What the environment gives besides the channel: its recipients and the problems found so far. */
export type Found = Pick<ChannelSetup, 'recipients' | 'problems'>;

const NOTHING: Found = { recipients: [], problems: [] };

/** Not configured: `set A, B` for the variables the channel still needs. */
export function unconfiguredFor(missing: readonly string[], found: Found = NOTHING): ChannelSetup {
  return { ...found, unconfigured: `set ${missing.join(', ')}` };
}

/** Not configured: values set that the channel cannot use, each a problem. */
export function refused(unusable: readonly EnvProblem[], found: Found): ChannelSetup {
  const unconfigured = `fix ${unusable.map((problem) => problem.variable).join(', ')}`;
  return { recipients: found.recipients, unconfigured, problems: [...found.problems, ...unusable] };
}

/**
 * The channel's comma-separated list of recipients in the environment, each checked by `check` (a reason when
 * invalid): the valid ones, and a problem naming the variable for each of the others.
 */
export function recipientsFromEnv(env: Env, channel: string, check: (recipient: string) => string | undefined): Found {
  const name = RECIPIENT_VARIABLES[channel] ?? '';
  const recipients: string[] = [];
  const problems: EnvProblem[] = [];
  for (const recipient of (variable(env, name) ?? '').split(',').map((item) => item.trim())) {
    if (recipient === '') continue;
    const reason = check(recipient);
    if (reason === undefined) recipients.push(recipient);
    else problems.push({ variable: name, message: reason });
  }
  return { recipients, problems };
}

/**
 * Builds a channel with its factory; a factory refuses a value it cannot use (a URL that is not http(s)) with a
 * message that names the channel and never the secret, which becomes the problem.
 */
export function built(variables: readonly string[], create: () => Channel<unknown>, rest = NOTHING): ChannelSetup {
  try {
    return { channel: create(), ...rest };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      recipients: rest.recipients,
      unconfigured: `${variables.join(', ')}: ${message}`,
      problems: [...rest.problems, { variable: variables.join(', '), message }],
    };
  }
}
