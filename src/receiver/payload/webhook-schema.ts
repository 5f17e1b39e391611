// Alertmanager's webhook payload, version 4 (https://prometheus.io/docs/alerting/latest/configuration/#webhook_config),
// as a JSON Schema the receiver validates every body against. Limits keep one notification from bloating the store:
// they are far above what Alertmanager sends for real alerts and far below the body limit's worth of one string.
// Unknown fields are allowed, so a newer Alertmanager that adds one is still understood.

import { Type, type Static } from '@sinclair/typebox';

export const LIMITS = {
  alerts: 5_000,
  labels: 128,
  nameLength: 256,
  labelValueLength: 4_096,
  annotationValueLength: 32_768,
  urlLength: 16_384,
  textLength: 16_384,
  fingerprintLength: 128,
} as const;

const Text = (maxLength: number) => Type.String({ maxLength });

/** A map of names to strings; written out because Type.Record drops constraints on the keys. */
const LabelSet = (valueLength: number, minProperties = 0) =>
  Type.Unsafe<Record<string, string>>({
    type: 'object',
    propertyNames: { maxLength: LIMITS.nameLength },
    additionalProperties: { type: 'string', maxLength: valueLength },
    minProperties,
    maxProperties: LIMITS.labels,
  });

const Timestamp = Type.String({ format: 'rfc3339', maxLength: 64 });

const Status = Type.Unsafe<'firing' | 'resolved'>({ type: 'string', enum: ['firing', 'resolved'] });

export const WebhookAlertSchema = Type.Object({
  status: Status,
  labels: LabelSet(LIMITS.labelValueLength, 1),
  annotations: Type.Optional(LabelSet(LIMITS.annotationValueLength)),
  startsAt: Timestamp,
  endsAt: Type.Optional(Timestamp),
  generatorURL: Type.Optional(Text(LIMITS.urlLength)),
  fingerprint: Type.Optional(Type.String({ maxLength: LIMITS.fingerprintLength, pattern: '^[A-Za-z0-9_.:-]*$' })),
});

export const WebhookPayloadSchema = Type.Object({
  version: Type.Unsafe<'4'>({ const: '4' }),
  status: Status,
  receiver: Type.Optional(Text(LIMITS.textLength)),
  alerts: Type.Array(WebhookAlertSchema, { minItems: 1, maxItems: LIMITS.alerts }),
  groupLabels: Type.Optional(LabelSet(LIMITS.labelValueLength)),
  commonLabels: Type.Optional(LabelSet(LIMITS.labelValueLength)),
  commonAnnotations: Type.Optional(LabelSet(LIMITS.annotationValueLength)),
  externalURL: Type.Optional(Text(LIMITS.urlLength)),
  groupKey: Type.Optional(Text(LIMITS.textLength)),
  truncatedAlerts: Type.Optional(Type.Integer({ minimum: 0 })),
});

export type WebhookPayload = Static<typeof WebhookPayloadSchema>;
export type WebhookAlert = Static<typeof WebhookAlertSchema>;
