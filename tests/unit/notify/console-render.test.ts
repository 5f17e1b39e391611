// The console channel's text as a table of notifications: a few lines saying what, where, since when and why.

import { describe, expect, it } from 'vitest';
import type { AlertDiagnosis } from '../../../src/model/diagnosis.js';
import type { Notification } from '../../../src/model/notification.js';
import { renderConsoleMessage } from '../../../src/notify/console/render.js';
import { alertOf, bigGroup, notificationOf, STARTED_AT } from '../../helpers/notification-fixtures.js';

const diagnosis: AlertDiagnosis = {
  summary: 'The upstream answers 503',
  probable_cause: null,
  evidence: [],
  recommendations: ['Roll back the deploy', 'Check the pool size', 'Page the API team', 'Read the logs'],
  confidence: 'medium',
  source: 'ai',
};

const resolvedAlerts = [0, 1, 2, 3, 4, 5, 6].map((index) =>
  alertOf(index, { status: 'resolved', endsAt: STARTED_AT + 3_600_000 }),
);

describe('renderConsoleMessage', () => {
  it.each<[string, Notification, string[]]>([
    [
      'one alert with a diagnosis',
      notificationOf([alertOf(0, { diagnosis })]),
      [
        'FIRING CheckDown (critical) on api-000 - api-000 answers HTTP 503',
        'Since 2026-12-04 13:50 UTC (for 12 min)',
        'Diagnosis: The upstream answers 503. (AI, medium confidence)',
        'Do: Roll back the deploy',
        'Do: Check the pool size',
        'Do: Page the API team',
        'See https://vigil.example/alerts/alert-0',
      ],
    ],
    [
      'a group of 300',
      bigGroup(300),
      [
        'FIRING CheckDown (critical): 300 alerts',
        'Since 2026-12-04 13:50 UTC (for 12 min)',
        '  - api-000: api-000 answers HTTP 503 (since 2026-12-04 13:50 UTC)',
        '  - api-001: api-001 answers HTTP 503 (since 2026-12-04 13:50 UTC)',
        '  - api-002: api-002 answers HTTP 503 (since 2026-12-04 13:50 UTC)',
        '  - api-003: api-003 answers HTTP 503 (since 2026-12-04 13:50 UTC)',
        '  - api-004: api-004 answers HTTP 503 (since 2026-12-04 13:50 UTC)',
        '  …and 295 more',
        'See https://vigil.example/alerts?group=CheckDown',
      ],
    ],
    [
      'label text that would forge lines',
      notificationOf([alertOf(0, { checkId: 'api\nFIRING fake', annotations: { summary: 'a\r\nb' } })], {
        listUrl: 'javascript:alert(1)',
        severity: 'critical',
      }),
      [
        'FIRING CheckDown (critical) on api FIRING fake - a b',
        'Since 2026-12-04 13:50 UTC (for 12 min)',
        'See https://vigil.example/alerts/alert-0',
      ],
    ],
    [
      'a resolved group',
      notificationOf(resolvedAlerts, { status: 'resolved' }),
      [
        'RESOLVED CheckDown after 1 h: api-000, api-001, api-002, api-003, api-004 and 2 more',
        'See https://vigil.example/alerts?group=CheckDown',
      ],
    ],
  ])('%s', (_case, notification, lines) => {
    const message = renderConsoleMessage(notification);
    expect(message.text.split('\n')).toEqual(lines);
    expect(message.group).toBe(notification.groupKey);
    expect(message.severity).toBe(notification.severity);
  });

  it('cuts a long summary', () => {
    const summary = 'x'.repeat(10_000);
    const { text } = renderConsoleMessage(notificationOf([alertOf(0, { annotations: { summary } })]));
    expect(text.split('\n')[0]?.length).toBeLessThan(500);
  });
});
