// The generic webhook's body as tables of notifications: the documented snake_case schema with RFC 3339 times, every
// alert of a big group, untrusted text passed through as data, unsafe links dropped, and a stable delivery id.

import { describe, expect, it } from 'vitest';
import type { AlertDiagnosis } from '../../../src/model/diagnosis.js';
import type { Notification } from '../../../src/model/notification.js';
import {
  renderWebhookBody,
  renderWebhookMessage,
  webhookDeliveryId,
  type WebhookBody,
} from '../../../src/notify/webhook/render.js';
import {
  ACCEPTED_AT,
  STARTED_AT,
  manyAlerts,
  notification,
  notificationAlert,
} from '../../helpers/notification-builder.js';

const diagnosis: AlertDiagnosis = {
  summary: 'The upstream answers 503',
  probable_cause: 'the deploy at 13:45',
  evidence: ['HTTP 503 from 10.0.0.5'],
  recommendations: ['Roll back the deploy'],
  confidence: 'high',
  source: 'rules',
};

describe('renderWebhookBody: the documented schema', () => {
  it('renders one firing alert field by field', () => {
    const body = renderWebhookBody(
      notification([notificationAlert({ diagnosis, priority: 'P1', impact: 'checkout is down' })]),
    );
    expect(body).toEqual<WebhookBody>({
      version: '1',
      group_key: '{}:{alertname="ServiceDown"}',
      state_key: 'alert-1:firing',
      status: 'firing',
      severity: 'critical',
      group_labels: { alertname: 'ServiceDown' },
      common_labels: { alertname: 'ServiceDown' },
      common_annotations: {},
      alerts: [
        {
          id: 'alert-1',
          status: 'firing',
          alertname: 'ServiceDown',
          severity: 'critical',
          check: 'api-root',
          labels: { alertname: 'ServiceDown', severity: 'critical', check: 'api-root', name: 'API Root' },
          annotations: { summary: 'API Root is not answering' },
          starts_at: '2026-12-04T13:40:00.000Z',
          ends_at: null,
          priority: 'P1',
          impact: 'checkout is down',
          diagnosis,
          links: {
            vigil: 'http://vigil.example/api/v1/alerts/alert-1',
            prometheus: 'http://prometheus.example:9090/graph?g0.expr=up%3D%3D0',
            silence: 'http://alertmanager.example:9093/#/silences/new',
            status_page: 'http://status.example/',
            runbook: null,
          },
        },
      ],
      list_url: 'http://vigil.example/api/v1/alerts?group=ServiceDown',
      accepted_at: '2026-12-04T13:52:00.000Z',
      duration_ms: null,
    });
  });

  const resolved = notificationAlert({ status: 'resolved', endsAt: STARTED_AT + 30 * 60_000 });
  it.each<[string, Notification, Partial<WebhookBody>]>([
    [
      'a resolved group measured by the receiver',
      notification([resolved], { durationMs: 29 * 60_000 }),
      { status: 'resolved', duration_ms: 29 * 60_000 },
    ],
    ['a resolved group, first start to last end', notification([resolved]), { duration_ms: 30 * 60_000 }],
    ['a firing group has no duration', notification(), { duration_ms: null }],
    ['no list URL', notification(undefined, { listUrl: undefined }), { list_url: null }],
    ['an unsafe list URL', notification(undefined, { listUrl: 'javascript:alert(1)' }), { list_url: null }],
  ])('%s', (_, input, expected) => {
    expect(renderWebhookBody(input)).toMatchObject(expected);
  });

  it.each<[string, Partial<Parameters<typeof notificationAlert>[0]>, Record<string, unknown>]>([
    [
      'a resolved alert ends in RFC 3339',
      { status: 'resolved', endsAt: ACCEPTED_AT },
      { ends_at: '2026-12-04T13:52:00.000Z' },
    ],
    ['no check', { checkId: undefined }, { check: null }],
    ['no priority nor impact', {}, { priority: null, impact: null }],
    ['a pending diagnosis is none yet', { diagnosis: { ...diagnosis, pending: true } }, { diagnosis: null }],
    ['no diagnosis', {}, { diagnosis: null }],
    [
      'a javascript: runbook is dropped, an https one kept',
      { links: { runbook: 'javascript:alert(1)', vigil: 'https://vigil.example/a' } },
      {
        links: { vigil: 'https://vigil.example/a', prometheus: null, silence: null, status_page: null, runbook: null },
      },
    ],
  ])('alert: %s', (_, overrides, expected) => {
    expect(renderWebhookBody(notification([notificationAlert(overrides)])).alerts[0]).toMatchObject(expected);
  });

  it('passes untrusted label text through as data, escaped only by JSON', () => {
    const hostile = '"}],"status":"resolved\n<script>';
    const body = renderWebhookBody(
      notification([notificationAlert({ labels: { name: hostile }, annotations: { summary: hostile } })]),
    );
    const parsed = JSON.parse(JSON.stringify(body)) as WebhookBody;
    expect(parsed.status).toBe('firing');
    expect(parsed.alerts[0]?.labels).toEqual({ name: hostile });
    expect(parsed.alerts[0]?.annotations).toEqual({ summary: hostile });
  });

  it('keeps every alert of a group of 300, in order', () => {
    const body = renderWebhookBody(notification(manyAlerts(300)));
    expect(body.alerts).toHaveLength(300);
    expect(body.alerts.at(-1)?.check).toBe('check-300');
  });
});

describe('webhookDeliveryId: the idempotency key', () => {
  it('is the hex SHA-256 of group key, NUL, state key', () => {
    // printf 'g\0s' | sha256sum
    expect(webhookDeliveryId({ groupKey: 'g', stateKey: 's' })).toBe(
      '13037a93b35cf0b93813fe0aa5b63853f354d69db0682ca081034f782fd1bcdb',
    );
  });

  it.each<[string, Partial<Notification>, boolean]>([
    ['the same notification sent again', {}, true],
    ['a new state of the group', { stateKey: 'alert-1:resolved' }, false],
    ['another group', { groupKey: '{}:{alertname="Other"}' }, false],
  ])('%s', (_, overrides, same) => {
    const first = renderWebhookMessage(notification());
    const second = renderWebhookMessage(notification(undefined, overrides));
    expect(first.deliveryId === second.deliveryId).toBe(same);
    expect(first.deliveryId).toMatch(/^[0-9a-f]{64}$/);
  });
});
