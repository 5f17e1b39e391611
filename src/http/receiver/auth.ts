// Credentials checks for the receiver's two audiences: Alertmanager on the webhook (bearer token, basic auth or
// none) and admins on the API (bearer token). Comparisons hash both sides first so they take the same time whatever
// the length or content of the guess.

import type { WebhookAuthMode } from '../../config/types.js';
import { tokenMatches as safeEqual } from '../admin-auth.js';

export type WebhookCredentials =
  { mode: 'none' } | { mode: 'bearer'; token: string } | { mode: 'basic'; user: string; password: string };

function credentialsOf(header: string | undefined, scheme: 'bearer' | 'basic'): string | undefined {
  if (header === undefined) return undefined;
  const space = header.indexOf(' ');
  if (space < 0 || header.slice(0, space).toLowerCase() !== scheme) return undefined;
  return header.slice(space + 1).trim();
}

export function bearerAuthorized(header: string | undefined, token: string): boolean {
  const given = credentialsOf(header, 'bearer');
  return given !== undefined && safeEqual(given, token);
}

function basicAuthorized(header: string | undefined, user: string, password: string): boolean {
  const given = credentialsOf(header, 'basic');
  if (given === undefined) return false;
  const decoded = Buffer.from(given, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  // Both halves are always compared, so a right user with a wrong password takes as long as a wrong user.
  const userOk = safeEqual(decoded.slice(0, colon), user);
  const passwordOk = safeEqual(decoded.slice(colon + 1), password);
  return userOk && passwordOk;
}

export function webhookAuthorized(credentials: WebhookCredentials, header: string | undefined): boolean {
  switch (credentials.mode) {
    case 'none':
      return true;
    case 'bearer':
      return bearerAuthorized(header, credentials.token);
    case 'basic':
      return basicAuthorized(header, credentials.user, credentials.password);
  }
}

/** The WWW-Authenticate challenge for a mode, or undefined when no credentials are asked for. */
export function challenge(mode: WebhookAuthMode): string | undefined {
  if (mode === 'bearer') return 'Bearer realm="vigil-receiver"';
  if (mode === 'basic') return 'Basic realm="vigil-receiver", charset="UTF-8"';
  return undefined;
}

/**
 * The webhook credentials for a mode, read from the environment. The config loader already refused a mode whose
 * variables are missing; this throws if it is called without them anyway.
 */
export function webhookCredentialsFrom(
  mode: WebhookAuthMode,
  env: Record<string, string | undefined>,
): WebhookCredentials {
  const required = (name: string): string => {
    const value = env[name];
    if (value === undefined || value === '') throw new Error(`receiver.auth is ${mode} but ${name} is not set`);
    return value;
  };
  if (mode === 'bearer') return { mode, token: required('VIGIL_WEBHOOK_TOKEN') };
  if (mode === 'basic')
    return { mode, user: required('VIGIL_WEBHOOK_USER'), password: required('VIGIL_WEBHOOK_PASSWORD') };
  return { mode };
}
