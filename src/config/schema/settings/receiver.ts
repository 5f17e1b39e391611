// config.yml `receiver:` the Alertmanager webhook receiver: body limit, dedup window, alert TTL, webhook auth and the
// links put on each alert. Secrets never live here: the bearer token comes from VIGIL_WEBHOOK_TOKEN, basic-auth
// credentials from VIGIL_WEBHOOK_USER and VIGIL_WEBHOOK_PASSWORD.

import { Type } from '@sinclair/typebox';

import { Duration, Size, Strict, StringEnum } from '../common.js';

export const WEBHOOK_AUTH_MODES = ['bearer', 'basic', 'none'] as const;

const HttpUrl = (description: string) =>
  Type.String({
    pattern: String.raw`^https?://\S+$`,
    patternErrorMessage: 'must be an http:// or https:// URL',
    description,
  });

export const ReceiverSection = Strict(
  {
    body_limit: Type.Optional(
      Size(
        { min: 1024, max: 64 * 1024 ** 2, minText: '1KiB', maxText: '64MiB' },
        { default: '1MiB', description: 'Largest webhook body accepted; larger ones get 413 (1KiB to 64MiB).' },
      ),
    ),
    dedup_window: Type.Optional(
      Duration(
        { min: '0', max: '24h' },
        {
          default: '5m',
          description:
            'A new firing of an alert still active, this soon after its last notification, counts as a repeat.',
        },
      ),
    ),
    alert_ttl: Type.Optional(
      Duration(
        { min: '1m', max: '90d' },
        { default: '24h', description: 'An active alert Alertmanager has not re-sent for this long expires.' },
      ),
    ),
    auth: Type.Optional(
      StringEnum(WEBHOOK_AUTH_MODES, {
        description:
          'What Alertmanager must send: bearer (VIGIL_WEBHOOK_TOKEN), basic (VIGIL_WEBHOOK_USER and ' +
          'VIGIL_WEBHOOK_PASSWORD) or none. Default: bearer when VIGIL_WEBHOOK_TOKEN is set, otherwise none.',
      }),
    ),
    status_page_url: Type.Optional(HttpUrl('Public status page, linked from each alert.')),
    prometheus_url: Type.Optional(HttpUrl('Prometheus, linked from alerts that carry no generatorURL.')),
    prober_url: Type.Optional(
      HttpUrl(
        "The prober's HTTP API, where a receiver that shares no store with the prober reads the evidence of its " +
          'diagnoses (results, incidents, the checks down); VIGIL_ADMIN_TOKEN is sent when set. Unset: such a ' +
          "receiver diagnoses from the alert's labels alone.",
      ),
    ),
    external_url: Type.Optional(
      HttpUrl(
        'Where people reach this receiver; the alert links in notifications point here. ' +
          'Default: the receiver_listen address as this machine reaches it (0.0.0.0:9471 → http://127.0.0.1:9471).',
      ),
    ),
  },
  { description: 'The Alertmanager webhook receiver.' },
);
