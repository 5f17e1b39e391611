// The Slack message as tables of notifications: what the person paged reads, the severity bar, escaping of untrusted
// label text, and Block Kit's limits kept by structure for a group of 300 checks down.

import { describe, expect, it } from 'vitest';
import type { AlertDiagnosis } from '../../../src/model/diagnosis.js';
import { escapeMrkdwnWithin, mrkdwnLink } from '../../../src/notify/slack/mrkdwn.js';
import { renderSlackMessage } from '../../../src/notify/slack/render.js';
import { alertOf, bigGroup, notificationOf, STARTED_AT } from '../../helpers/notification-fixtures.js';
import { expectWithinSlackLimits, mrkdwnTexts } from '../../helpers/slack-limits.js';

const diagnosis: AlertDiagnosis = {
  summary: 'The upstream answers 503',
  probable_cause: 'the deploy at 13:45',
  evidence: ['HTTP 503 from 10.0.0.5'],
  recommendations: ['Roll back the deploy', 'Check the pool size', 'Page the API team', 'Read the logs'],
  confidence: 'high',
  source: 'rules',
};

function allText(message: ReturnType<typeof renderSlackMessage>): string {
  return JSON.stringify(message);
}

describe('renderSlackMessage: one firing alert', () => {
  const message = renderSlackMessage(
    notificationOf([
      alertOf(0, {
        diagnosis,
        priority: 'P1',
        links: {
          vigil: 'https://vigil.example/alerts/alert-0',
          runbook: 'https://runbooks.example/check-down',
          silence: 'javascript:alert(1)',
        },
      }),
    ]),
  );
  const [header, summary, fields, recommendations, list, actions] = message.attachments[0].blocks;

  it('says what, where, since when and why', () => {
    expect(header).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Firing: CheckDown on api-000' } });
    expect(summary).toEqual({ type: 'section', text: { type: 'mrkdwn', text: 'api-000 answers HTTP 503' } });
    expect(fields).toEqual({
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: '*Severity*\ncritical (P1)' },
        { type: 'mrkdwn', text: '*Check*\napi-000' },
        { type: 'mrkdwn', text: '*Since*\n2026-12-04 13:50 UTC (for 12 min)' },
        {
          type: 'mrkdwn',
          text: '*Diagnosis*\nThe upstream answers 503. Probable cause: the deploy at 13:45. (rules, high confidence)',
        },
      ],
    });
    expect(recommendations).toEqual({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: '*Recommendations*\n• Roll back the deploy\n• Check the pool size\n• Page the API team',
      },
    });
    expect(list).toEqual({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: '• <https://vigil.example/alerts/alert-0|api-000> api-000 answers HTTP 503 since 2026-12-04 13:50 UTC',
      },
    });
  });

  it('links to Vigil and the runbook, and drops a link that is not http(s)', () => {
    expect(actions).toEqual({
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Open in Vigil' },
          url: 'https://vigil.example/alerts/alert-0',
          action_id: 'link-vigil',
        },
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Runbook' },
          url: 'https://runbooks.example/check-down',
          action_id: 'link-runbook',
        },
      ],
    });
    expect(allText(message)).not.toContain('javascript:');
  });

  it('gives a fallback text for notifications', () => {
    expect(message.text).toBe('[FIRING:1] CheckDown (critical): api-000 answers HTTP 503');
    expectWithinSlackLimits(message);
  });
});

describe('renderSlackMessage: severity bar', () => {
  it.each([
    ['critical', 'firing', '#d63c3c'],
    ['warning', 'firing', '#d99a00'],
    ['info', 'firing', '#3b7bd6'],
    ['page', 'firing', '#5d6675'],
    ['critical', 'resolved', '#2e9b57'],
  ] as const)('%s %s → %s', (severity, status, colour) => {
    const alert = alertOf(0, { severity, status, ...(status === 'resolved' ? { endsAt: STARTED_AT + 60_000 } : {}) });
    const message = renderSlackMessage(notificationOf([alert], { severity, status }));
    expect(message.attachments[0].color).toBe(colour);
  });
});

describe('renderSlackMessage: untrusted text', () => {
  it.each([
    ['a mention', '<!channel> wake up', '&lt;!channel&gt; wake up'],
    ['a forged link', '<https://evil.example|click>', '&lt;https://evil.example|click&gt;'],
    ['an ampersand', 'R&D api', 'R&amp;D api'],
    ['a newline', 'line one\nline two', 'line one line two'],
  ])('escapes %s', (_case, summary, escaped) => {
    const message = renderSlackMessage(
      notificationOf([alertOf(0, { annotations: { summary } })], { commonAnnotations: { summary } }),
    );
    expect(mrkdwnTexts(message).some((text) => text.includes(escaped))).toBe(true);
    expectWithinSlackLimits(message);
  });

  it('cuts long text on a whole character and a whole entity', () => {
    const summary = '<&>'.repeat(5_000);
    const checkId = '&'.repeat(500);
    const message = renderSlackMessage(
      notificationOf([alertOf(0, { checkId, annotations: { summary }, diagnosis: { ...diagnosis, summary } })], {
        commonAnnotations: { summary },
        groupLabels: { alertname: 'X'.repeat(400) },
      }),
    );
    expectWithinSlackLimits(message);
    const [cutSummary] = mrkdwnTexts(message);
    expect(cutSummary).toMatch(/^(&lt;&amp;&gt;)+(&lt;|&lt;&amp;)?…$/);
    expect(cutSummary?.length).toBeGreaterThan(2_980);
  });
});

describe('renderSlackMessage: a group of 300 checks down', () => {
  const message = renderSlackMessage(bigGroup(300));
  const { blocks } = message.attachments[0];

  it('is one message within Block Kit limits', () => {
    expectWithinSlackLimits(message);
    expect(blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Firing: CheckDown (300 alerts)' } });
    expect(message.text).toBe('[FIRING:300] CheckDown (critical)');
  });

  it('lists whole alerts, then "…and N more" with a link to the full list', () => {
    const lines = blocks
      .flatMap((block) => (block.type === 'section' && 'text' in block ? block.text.text.split('\n') : []))
      .filter((line) => line.startsWith('• <'));
    expect(lines.length).toBeGreaterThan(100);
    lines.forEach((line, index) => {
      const checkId = `api-${String(index).padStart(3, '0')}`;
      expect(line).toBe(
        `• <https://vigil.example/alerts/alert-${index}|${checkId}> ${checkId} answers HTTP 503 since ` +
          `2026-12-04 13:${String(50 + Math.floor(index / 60)).padStart(2, '0')} UTC`,
      );
    });
    const more = blocks.at(-2);
    expect(more).toEqual({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `…and ${300 - lines.length} more: <https://vigil.example/alerts?group=CheckDown|the full list in Vigil>`,
        },
      ],
    });
    expect(blocks.at(-1)).toMatchObject({
      type: 'actions',
      elements: [{ url: 'https://vigil.example/alerts?group=CheckDown' }],
    });
  });

  it('keeps to 50 blocks when every alert fills a section', () => {
    const long = notificationOf(
      Array.from({ length: 300 }, (_, index) => alertOf(index, { checkId: 'c'.repeat(3_000) })),
    );
    const rendered = renderSlackMessage(long);
    expectWithinSlackLimits(rendered);
    expect(rendered.attachments[0].blocks.at(-2)).toMatchObject({ type: 'context' });
  });
});

describe('renderSlackMessage: resolved', () => {
  it('is a short notice with how long it lasted', () => {
    const alerts = [0, 1, 2, 3, 4, 5, 6].map((index) =>
      alertOf(index, { status: 'resolved', endsAt: STARTED_AT + 12 * 60_000 }),
    );
    const message = renderSlackMessage(notificationOf(alerts, { status: 'resolved', durationMs: 12 * 60_000 }));
    expect(message.text).toBe('[RESOLVED] CheckDown after 12 min');
    expect(message.attachments[0].blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: 'Resolved: CheckDown' } },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: 'Resolved after 12 min: 7 alerts (api-000, api-001, api-002, api-003, api-004 and 2 more).',
        },
      },
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            text: { type: 'plain_text', text: 'Open in Vigil' },
            url: 'https://vigil.example/alerts?group=CheckDown',
            action_id: 'link-vigil',
          },
        ],
      },
    ]);
    expectWithinSlackLimits(message);
  });

  it('measures first start to last end when the receiver gave no duration', () => {
    const alert = alertOf(0, { status: 'resolved', endsAt: STARTED_AT + 2 * 3_600_000 + 5 * 60_000 });
    expect(renderSlackMessage(notificationOf([alert], { status: 'resolved' })).text).toBe(
      '[RESOLVED] CheckDown after 2 h 5 min',
    );
  });
});

describe('mrkdwn', () => {
  it.each([
    ['a & b', 10, 'a &amp; b'],
    ['<!here> *bold*', 100, '&lt;!here&gt; *bold*'],
    ['ab&cd', 6, 'ab…'],
    ['ab&cd', 8, 'ab&amp;…'],
    ['a😀b', 3, 'a…'],
  ])('escapeMrkdwnWithin(%j, %i) → %j', (text, max, escaped) => {
    expect(escapeMrkdwnWithin(text, max)).toBe(escaped);
  });

  it('writes a link whose URL cannot end early and whose label is escaped', () => {
    expect(mrkdwnLink('https://x.example/?a=1&b=|', 'R&D <team>', 50)).toBe(
      '<https://x.example/?a=1&amp;b=%7C|R&amp;D &lt;team&gt;>',
    );
  });
});
