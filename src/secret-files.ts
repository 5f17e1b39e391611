// Secrets may come from files (Docker and Kubernetes secrets): `VIGIL_ADMIN_TOKEN_FILE=/run/secrets/admin` stands
// for `VIGIL_ADMIN_TOKEN` with the file's content. Resolved once at start, before the configuration is read.

import { readFileSync } from 'node:fs';

/** The secrets of CONTRACT section 2 that may be given as `NAME_FILE`. */
export const SECRET_VARIABLES = [
  'VIGIL_ADMIN_TOKEN',
  'VIGIL_WEBHOOK_TOKEN',
  'VIGIL_WEBHOOK_USER',
  'VIGIL_WEBHOOK_PASSWORD',
  'DATABASE_URL',
  'SMTP_PASSWORD',
  'SLACK_WEBHOOK_URL',
  'TWILIO_AUTH_TOKEN',
  'ALERT_WEBHOOK_SECRET',
  'OPENAI_API_KEY',
] as const;

export class SecretFileError extends Error {}

/**
 * Returns a copy of `env` with every `NAME_FILE` read into `NAME` (one trailing newline removed). Setting both is an
 * error, as is a file that cannot be read; the message names the variable and the path, never the content.
 */
export function resolveSecretFiles(env: Record<string, string | undefined>): Record<string, string | undefined> {
  const resolved = { ...env };
  for (const name of SECRET_VARIABLES) {
    const file = env[`${name}_FILE`];
    if (file === undefined || file === '') continue;
    if (env[name] !== undefined) throw new SecretFileError(`${name} and ${name}_FILE are both set: use one`);
    try {
      resolved[name] = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch (error) {
      const reason = error instanceof Error && 'code' in error ? String(error.code) : 'unreadable';
      throw new SecretFileError(`${name}_FILE: cannot read ${file} (${reason})`);
    }
  }
  return resolved;
}
