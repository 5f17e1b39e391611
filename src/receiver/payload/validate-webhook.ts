// Validates a parsed webhook body against the version 4 schema and turns it into the alerts the store ingests:
// timestamps as milliseconds, Alertmanager's zero end time as "no end", a fingerprint computed from the labels when
// the sender gave none. A bad body yields one message naming the first bad field.
//
// A startsAt far ahead of the receiver's clock is refused rather than clamped: an alert's start is its identity
// (a retry or the HA twin repeats the same startsAt and is recognised by it), so a start moved to the time of
// arrival would turn every repeat into a new firing; and stored as sent it would sit at the top of the history for
// decades. Prometheus and Alertmanager already need synchronised clocks; an hour covers any clock that still works.

import { Ajv } from 'ajv';
import type { IncomingAlert, IncomingNotification } from '../../model/alert.js';
import { labelsFingerprint } from '../ingest/fingerprint.js';
import { problemMessage } from './problem-message.js';
import { isZeroTime, parseRfc3339 } from './rfc3339.js';
import { type WebhookAlert, type WebhookPayload, WebhookPayloadSchema } from './webhook-schema.js';

const ajv = new Ajv({ allErrors: false, verbose: true, strict: true, strictTypes: false });
ajv.addFormat('rfc3339', { type: 'string', validate: (text: string) => parseRfc3339(text) !== undefined });
const validatePayload = ajv.compile<WebhookPayload>(WebhookPayloadSchema);

/** How far ahead of the receiver's clock an alert may start. */
export const MAX_START_AHEAD_MS = 3_600_000;

export type WebhookValidation =
  { ok: true; payload: WebhookPayload; notification: IncomingNotification } | { ok: false; problem: string };

export function validateWebhook(body: unknown, receivedAt: number): WebhookValidation {
  if (!validatePayload(body)) {
    const error = validatePayload.errors?.[0];
    return { ok: false, problem: error === undefined ? 'body: is invalid' : problemMessage(error) };
  }
  const alerts: IncomingAlert[] = [];
  for (const [index, alert] of body.alerts.entries()) {
    const startsAt = parseRfc3339(alert.startsAt) ?? Number.NaN;
    if (isZeroTime(startsAt))
      return { ok: false, problem: `alerts[${index}].startsAt: must be set, got the zero time` };
    if (startsAt > receivedAt + MAX_START_AHEAD_MS)
      return {
        ok: false,
        problem:
          `alerts[${index}].startsAt: ${alert.startsAt} is more than 1h ahead of the receiver's clock ` +
          `(${new Date(receivedAt).toISOString()}); check the clocks of Prometheus and of this host`,
      };
    alerts.push(incomingAlert(body, alert, startsAt, receivedAt));
  }
  const group: IncomingNotification['group'] = {
    status: body.status,
    groupLabels: body.groupLabels ?? {},
    commonLabels: body.commonLabels ?? {},
    commonAnnotations: body.commonAnnotations ?? {},
    truncatedAlerts: body.truncatedAlerts ?? 0,
    receivedAt,
  };
  if (body.groupKey) group.groupKey = body.groupKey;
  if (body.receiver) group.receiver = body.receiver;
  if (body.externalURL) group.externalUrl = body.externalURL;
  return { ok: true, payload: body, notification: { group, alerts } };
}

function incomingAlert(
  payload: WebhookPayload,
  alert: WebhookAlert,
  startsAt: number,
  receivedAt: number,
): IncomingAlert {
  const endsAt = alert.endsAt === undefined ? undefined : parseRfc3339(alert.endsAt);
  const incoming: IncomingAlert = {
    fingerprint: alert.fingerprint || labelsFingerprint(alert.labels),
    status: alert.status,
    labels: alert.labels,
    annotations: alert.annotations ?? {},
    startsAt,
    receivedAt,
  };
  if (endsAt !== undefined && !isZeroTime(endsAt)) incoming.endsAt = endsAt;
  if (alert.generatorURL) incoming.generatorUrl = alert.generatorURL;
  if (payload.receiver) incoming.receiver = payload.receiver;
  if (payload.groupKey) incoming.groupKey = payload.groupKey;
  if (payload.externalURL) incoming.externalUrl = payload.externalURL;
  return incoming;
}
