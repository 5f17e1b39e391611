// The email's content as tables of cases: subjects, colours, the cut of a long group, the resolved notice, escaping,
// the Message-ID, and how SMTP failures become outcomes.

import { describe, expect, it } from 'vitest';
import type { Notification } from '../../../src/model/notification.js';
import { domainOf, smtpOutcome } from '../../../src/notify/email/email-channel.js';
import { renderEmail } from '../../../src/notify/email/render.js';
import { formatDuration } from '../../../src/notify/format.js';
import { PENDING_DIAGNOSIS } from '../../../src/receiver/enrichment/enrich.js';
import { STARTED_AT, manyAlerts, notification, notificationAlert } from '../../helpers/notification-builder.js';

const OPTIONS = { messageIdDomain: 'alerts.example' };

function render(group: Notification, recipient = 'oncall@example.com') {
  return renderEmail(group, recipient, OPTIONS);
}

const resolvedAlert = notificationAlert({ status: 'resolved', endsAt: STARTED_AT + 12 * 60_000 });

describe('email subject and colour', () => {
  const cases: { name: string; group: Notification; subject: string; colour: string }[] = [
    {
      name: 'one critical alert',
      group: notification(),
      subject: '[CRITICAL] ServiceDown — API Root',
      colour: '#d63c3c',
    },
    {
      name: 'a warning',
      group: notification([notificationAlert({ severity: 'warning' })], { severity: 'warning' }),
      subject: '[WARNING] ServiceDown — API Root',
      colour: '#d99a00',
    },
    {
      name: 'an info alert',
      group: notification([notificationAlert({ severity: 'info' })], { severity: 'info' }),
      subject: '[INFO] ServiceDown — API Root',
      colour: '#3b7bd6',
    },
    {
      name: 'three alerts sharing a component',
      group: notification(manyAlerts(3), { commonLabels: { component: 'backend' } }),
      subject: '[CRITICAL] 3 alerts — backend',
      colour: '#d63c3c',
    },
    {
      name: 'a group with resolved alerts counts only the firing ones',
      group: notification([...manyAlerts(2), resolvedAlert], { commonLabels: { component: 'backend' } }),
      subject: '[CRITICAL] 2 alerts — backend',
      colour: '#d63c3c',
    },
    {
      name: 'a resolved group',
      group: notification([resolvedAlert], { durationMs: 12 * 60_000 }),
      subject: '[RESOLVED] ServiceDown — API Root',
      colour: '#2e9b57',
    },
    {
      name: 'a label with a line break cannot add a header',
      group: notification([notificationAlert({ labels: { name: 'API\r\nBcc: victim@example.com' } })]),
      subject: '[CRITICAL] ServiceDown — API Bcc: victim@example.com',
      colour: '#d63c3c',
    },
  ];
  it.each(cases)('$name', ({ group, subject, colour }) => {
    const message = render(group);
    expect(message.subject).toBe(subject);
    expect(message.html).toContain(`border-top:6px solid ${colour}`);
    expect(message.text.split('\n')[0]).toBe(subject.replace(/\r\n/, ' '));
  });
});

describe('email body', () => {
  it('says what, where, since, the diagnosis, the first recommendations, the impact and the links', () => {
    const alert = notificationAlert({
      impact: 'Customers cannot log in',
      diagnosis: {
        summary: 'Connection refused on port 443',
        probable_cause: 'nothing listens on api.example.com:443',
        evidence: [
          '3 consecutive failed results since 13:40 UTC',
          'also (timeout, low): the network drops packets',
          'last passed at 13:39 UTC',
          'the port answered until the deploy at 13:38 UTC',
          'no other check of api fails',
          'evidence from store: results of the last 60 min',
        ],
        recommendations: ['Check the pod', 'Check the load balancer', 'Roll back', 'Page the DBA'],
        confidence: 'high',
        source: 'rules',
      },
    });
    const { text, html } = render(notification([alert]));
    expect(text).toBe(
      [
        '[CRITICAL] ServiceDown — API Root',
        'An alert is firing.',
        '',
        'ServiceDown — API Root',
        'critical · since 2026-12-04 13:40 UTC (for 12 min)',
        'API Root is not answering',
        'Diagnosis: Connection refused on port 443. Probable cause: nothing listens on api.example.com:443. (rules, high confidence)',
        'Evidence:',
        '  - 3 consecutive failed results since 13:40 UTC',
        '  - last passed at 13:39 UTC',
        '  - the port answered until the deploy at 13:38 UTC',
        '  - no other check of api fails',
        'Recommendations:',
        '  1. Check the pod',
        '  2. Check the load balancer',
        '  3. Roll back',
        'Impact: Customers cannot log in',
        'Alert in Vigil: http://vigil.example/api/v1/alerts/alert-1',
        'Prometheus graph: http://prometheus.example:9090/graph?g0.expr=up%3D%3D0',
        'Silence: http://alertmanager.example:9093/#/silences/new',
        'Status page: http://status.example/',
        '',
        'All alerts: http://vigil.example/api/v1/alerts?group=ServiceDown',
        '',
      ].join('\n'),
    );
    expect(html).toContain('<li>Roll back</li>');
    expect(html).not.toContain('Page the DBA');
    expect(html).toContain('>Silence</a>');
  });

  it('lists 50 alerts of a group of 300, then "…and 250 more" with the full list', () => {
    const { text, html } = render(notification(manyAlerts(300)));
    expect(text.match(/^ServiceDown — Check \d+$/gm)).toHaveLength(50);
    expect(text).toContain('ServiceDown — Check 50\n');
    expect(text).not.toContain('Check 51\n');
    expect(text).toContain('…and 250 more: http://vigil.example/api/v1/alerts?group=ServiceDown');
    expect(html).toContain('…and 250 more: <a href="http://vigil.example/api/v1/alerts?group=ServiceDown"');
  });

  it('sends a short resolved notice with how long it lasted', () => {
    const { text } = render(notification([resolvedAlert], { durationMs: 12 * 60_000 }));
    expect(text).toContain('The alert has resolved; it lasted 12 min.');
    expect(text).toContain('critical · resolved after 12 min');
    expect(text).not.toContain('API Root is not answering');
  });

  it('escapes every label, annotation and diagnosis text in the HTML part', () => {
    const hostile = '<script>alert("x")</script>';
    const alert = notificationAlert({
      alertname: hostile,
      severity: hostile,
      labels: { name: hostile },
      annotations: { summary: hostile, description: `${hostile}'` },
      impact: hostile,
      diagnosis: {
        summary: hostile,
        probable_cause: null,
        evidence: [],
        recommendations: [hostile],
        confidence: 'low',
        source: 'ai',
      },
    });
    const { html } = render(notification([alert], { severity: hostile }));
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;');
  });

  it('links only http(s) URLs, percent-encoded, and escapes them in the attribute', () => {
    const alert = notificationAlert({
      links: {
        runbook: 'javascript:alert(1)',
        vigil: 'http://vigil.example/a?x="><b>',
        prometheus: 'http://prometheus.example/graph?g0.expr=up&g0.tab=1',
      },
    });
    const { html, text } = render(notification([alert]));
    expect(html).not.toContain('javascript:');
    expect(text).not.toContain('javascript:');
    expect(html).toContain('href="http://vigil.example/a?x=%22%3E%3Cb%3E"');
    expect(html).toContain('href="http://prometheus.example/graph?g0.expr=up&amp;g0.tab=1"');
  });

  it('leaves out a diagnosis still pending', () => {
    const alert = notificationAlert({ diagnosis: PENDING_DIAGNOSIS });
    expect(render(notification([alert])).text).not.toContain('Diagnosis');
  });
});

describe('Message-ID', () => {
  const base = render(notification()).messageId;
  const cases: { name: string; messageId: string; same: boolean }[] = [
    { name: 'the same group, state and recipient', messageId: render(notification()).messageId, same: true },
    {
      name: 'another state of the group',
      messageId: render(notification(undefined, { stateKey: 'other' })).messageId,
      same: false,
    },
    {
      name: 'another group',
      messageId: render(notification(undefined, { groupKey: '{}:{alertname="Other"}' })).messageId,
      same: false,
    },
    { name: 'another recipient', messageId: render(notification(), 'boss@example.com').messageId, same: false },
  ];
  it.each(cases)('$name', ({ messageId, same }) => {
    expect(messageId).toMatch(/^<vigil\.[0-9a-f]{32}@alerts\.example>$/);
    expect(messageId === base).toBe(same);
  });
});

/** An SMTP reply as nodemailer reports it. */
function reply(responseCode: number, code: string, command: string, response: string): object {
  return Object.assign(new Error(response), { code, responseCode, command, response });
}

/** A failure without a reply (a socket error, an abort, a client-side check). */
function noReply(code: string, message: string): object {
  return Object.assign(new Error(message), { code });
}

describe('SMTP failures as outcomes', () => {
  it.each([
    ['451 at RCPT', reply(451, 'EENVELOPE', 'RCPT TO', '451 Later'), 'retry', 'SMTP 451 at RCPT: 451 Later'],
    ['452 at DATA', reply(452, 'EMESSAGE', 'DATA', '452 Full'), 'retry', 'SMTP 452 at DATA: 452 Full'],
    ['550 at RCPT', reply(550, 'EENVELOPE', 'RCPT TO', '550 No user'), 'dead', 'SMTP 550 at RCPT: 550 No user'],
    ['535 bad login', reply(535, 'EAUTH', 'AUTH PLAIN', '535 Invalid'), 'dead', 'SMTP 535 at AUTH: 535 Invalid'],
    ['503 bad sequence', reply(503, 'EENVELOPE', 'RCPT TO', '503 Order'), 'retry', 'SMTP 503 at RCPT: 503 Order'],
    ['a refused connection', noReply('ESOCKET', 'connect ECONNREFUSED'), 'retry', 'ESOCKET: connect ECONNREFUSED'],
    ['an aborted attempt', noReply('EABORT', 'Sending aborted'), 'retry', 'EABORT: Sending aborted'],
    ['credentials missing', noReply('EAUTH', 'Missing credentials'), 'dead', 'EAUTH: Missing credentials'],
    ['a configuration error', noReply('ECONFIG', 'Invalid option'), 'dead', 'ECONFIG: Invalid option'],
    ['the password masked', noReply('ECONNECTION', 'hunter22 failed'), 'retry', 'ECONNECTION: *** failed'],
  ])('%s', (_name, error, kind, reason) => {
    expect(smtpOutcome(error, 'hunter22')).toEqual({ kind, reason });
  });
});

describe('small helpers', () => {
  it.each([
    [45_000, '45 s'],
    [12 * 60_000, '12 min'],
    [3 * 3_600_000, '3 h'],
    [3 * 3_600_000 + 5 * 60_000, '3 h 5 min'],
    [2 * 86_400_000 + 4 * 3_600_000, '2 d 4 h'],
    [-5, '0 s'],
  ])('formatDuration(%d) is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it.each([
    ['vigil@alerts.example', 'alerts.example'],
    ['Vigil <vigil@alerts.example>', 'alerts.example'],
    ['"Ops, Vigil" <vigil@mail.alerts.example> ', 'mail.alerts.example'],
    ['vigil', 'localhost'],
  ])('domainOf(%s) is %s', (address, domain) => {
    expect(domainOf(address)).toBe(domain);
  });
});
