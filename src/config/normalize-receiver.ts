// config.yml `receiver:` and `alertmanager:`: the rules their schemas cannot express (the credentials an auth mode
// needs are in the environment) and the normalised settings with every default applied.

import { isMapping } from './check-entries.js';
import { parseDuration } from './duration.js';
import { unparsableHttpUrl } from './http-url-rule.js';
import type { RawConfigFile } from './schema/config.js';
import { parseSize } from './size.js';
import type { AlertmanagerSettings, ConfigProblem, ReceiverSettings, WebhookAuthMode } from './types.js';
import type { ConfigDocument } from './yaml-document.js';

type Env = Record<string, string | undefined>;

/** The environment variables each webhook auth mode reads its secrets from. */
export const WEBHOOK_CREDENTIAL_VARIABLES: Readonly<Record<WebhookAuthMode, readonly string[]>> = {
  bearer: ['VIGIL_WEBHOOK_TOKEN'],
  basic: ['VIGIL_WEBHOOK_USER', 'VIGIL_WEBHOOK_PASSWORD'],
  none: [],
};

const isSet = (env: Env, name: string): boolean => (env[name] ?? '') !== '';

export function receiverRules(document: ConfigDocument, env: Env): ConfigProblem[] {
  const root = isMapping(document.value) ? document.value : {};
  const receiver = root['receiver'];
  if (!isMapping(receiver)) return [];
  return [
    ...unparsableHttpUrl(document, '/receiver/prober_url', receiver['prober_url']),
    ...webhookCredentials(document, receiver['auth'], env),
  ];
}

function webhookCredentials(document: ConfigDocument, auth: unknown, env: Env): ConfigProblem[] {
  if (auth !== 'bearer' && auth !== 'basic') return [];
  const missing = WEBHOOK_CREDENTIAL_VARIABLES[auth].filter((name) => !isSet(env, name));
  if (missing.length === 0) return [];
  const names = missing.join(' and ');
  return [
    document.problem(
      '/receiver/auth',
      `is ${auth}, but ${names} ${missing.length > 1 ? 'are' : 'is'} not set in the environment`,
    ),
  ];
}

export function normalizeReceiver(raw: RawConfigFile['receiver'], env: Env): ReceiverSettings {
  const receiver = raw ?? {};
  return {
    bodyLimitBytes: parseSize(receiver.body_limit ?? '1MiB') ?? 1024 ** 2,
    dedupWindowMs: parseDuration(receiver.dedup_window ?? '5m') ?? 300_000,
    alertTtlMs: parseDuration(receiver.alert_ttl ?? '24h') ?? 86_400_000,
    auth: receiver.auth ?? (isSet(env, 'VIGIL_WEBHOOK_TOKEN') ? 'bearer' : 'none'),
    ...(receiver.status_page_url === undefined ? {} : { statusPageUrl: receiver.status_page_url }),
    ...(receiver.prometheus_url === undefined ? {} : { prometheusUrl: receiver.prometheus_url }),
    ...(receiver.prober_url === undefined ? {} : { proberUrl: receiver.prober_url.replace(/\/+$/, '') }),
    ...(receiver.external_url === undefined ? {} : { externalUrl: receiver.external_url.replace(/\/+$/, '') }),
  };
}

export function normalizeAlertmanager(raw: RawConfigFile['alertmanager'], env: Env): AlertmanagerSettings {
  const url = raw?.url ?? (isSet(env, 'ALERTMANAGER_URL') ? env['ALERTMANAGER_URL'] : undefined);
  return {
    ...(url === undefined ? {} : { url: url.replace(/\/+$/, '') }),
    timeoutMs: parseDuration(raw?.timeout ?? '10s') ?? 10_000,
  };
}
