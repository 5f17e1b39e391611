// The SMS as tables: GSM-7 / UCS-2 segment counting, E.164 numbers, and the one-segment text the person paged reads.

import { describe, expect, it } from 'vitest';
import { validateE164 } from '../../../src/notify/sms/e164.js';
import { renderSms } from '../../../src/notify/sms/render.js';
import { segmentInfo } from '../../../src/notify/sms/segments.js';
import { manyAlerts, notification, notificationAlert, STARTED_AT } from '../../helpers/notification-builder.js';

const TO = '+14155550100';

describe('segmentInfo', () => {
  it.each([
    ['', 'GSM-7', 0, 1],
    ['hello', 'GSM-7', 5, 1],
    ['a'.repeat(160), 'GSM-7', 160, 1],
    ['a'.repeat(161), 'GSM-7', 161, 2],
    ['a'.repeat(306), 'GSM-7', 306, 2],
    ['a'.repeat(307), 'GSM-7', 307, 3],
    ['€', 'GSM-7', 2, 1],
    ['{}[]~^|\\', 'GSM-7', 16, 1],
    ['a'.repeat(158) + '€', 'GSM-7', 160, 1],
    ['a'.repeat(159) + '€', 'GSM-7', 161, 2],
    ['Ünïcode? no: Ü ä ñ é £ ¥ Δ', 'UCS-2', 26, 1],
    ['Über ä ñ é £ ¥ Δ Ω', 'GSM-7', 18, 1],
    ['café ☕', 'UCS-2', 6, 1],
    ['🔥', 'UCS-2', 2, 1],
    ['a'.repeat(70) + '—', 'UCS-2', 71, 2],
    ['Ж'.repeat(70), 'UCS-2', 70, 1],
    ['Ж'.repeat(134), 'UCS-2', 134, 2],
    ['Ж'.repeat(135), 'UCS-2', 135, 3],
  ])('%j is %s', (text, encoding, units, segments) => {
    const info = segmentInfo(text);
    expect(info.encoding).toBe(encoding);
    expect(info.units).toBe(units);
    expect(info.segments).toBe(segments);
  });
});

describe('validateE164', () => {
  it.each(['+14155550100', '+447700900123', '+12', '+123456789012345'])('accepts %s', (number) => {
    expect(validateE164(number)).toEqual({ ok: true, number });
  });
  it.each(['14155550100', '+0155550100', '+1 415 555 0100', '+1-415-555-0100', '+1234567890123456', '+', '', '+1a'])(
    'refuses %j',
    (number) => {
      const result = validateE164(number);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toContain('E.164');
    },
  );
});

describe('renderSms', () => {
  it('says what, where, since when and the summary for one firing alert', () => {
    const message = renderSms(notification(), TO);
    expect(message.to).toBe(TO);
    expect(message.body).toBe(
      'CRIT ServiceDown: API Root since 13:40 UTC - API Root is not answering http://vigil.example/api/v1/alerts/alert-1',
    );
    expect(segmentInfo(message.body)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
  });

  it('counts the others of a group and keeps one segment', () => {
    const body = renderSms(notification(manyAlerts(300)), TO).body;
    expect(body).toBe(
      'CRIT ServiceDown: Check 1 (299 more) since 13:40 UTC - http://vigil.example/api/v1/alerts?group=ServiceDown',
    );
    expect(segmentInfo(body).segments).toBe(1);
  });

  it('cuts a long summary on a word and leaves out a link that does not fit whole', () => {
    const summary = 'The upstream pool is exhausted and every request to the API waits for a connection '.repeat(4);
    const body = renderSms(notification([notificationAlert({ annotations: { summary } })]), TO).body;
    expect(segmentInfo(body)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    expect(body.length).toBeGreaterThan(150);
    expect(body).toMatch(/ [a-z]+\.\.\.$/);
    expect(body).not.toContain('http');
  });

  it('swaps typographic punctuation so the text keeps 160 characters', () => {
    const summary = '“API” isn’t answering — 5 checks… ' + 'and more words here '.repeat(4);
    const body = renderSms(notification([notificationAlert({ annotations: { summary } })]), TO).body;
    expect(body).toContain('"API" isn\'t answering - 5 checks...');
    expect(segmentInfo(body)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    expect(body.length).toBeGreaterThan(70);
  });

  it('fits 70 when a label needs UCS-2', () => {
    const alert = notificationAlert({
      labels: { alertname: 'ServiceDown', name: 'Касса 🔥' },
      annotations: { summary: 'The till service is not answering to any request since the deploy' },
    });
    const body = renderSms(notification([alert]), TO).body;
    expect(body.startsWith('CRIT ServiceDown: Касса 🔥 since 13:40 UTC - ')).toBe(true);
    expect(segmentInfo(body)).toMatchObject({ encoding: 'UCS-2', segments: 1 });
    expect(body.length).toBeLessThanOrEqual(70);
    expect(body.endsWith('...')).toBe(true);
  });

  it('cuts an overlong name rather than send two segments', () => {
    const alert = notificationAlert({ labels: { alertname: 'ServiceDown', name: 'word '.repeat(60) } });
    const body = renderSms(notification([alert]), TO).body;
    expect(body.startsWith('CRIT ServiceDown: word word')).toBe(true);
    expect(segmentInfo(body).segments).toBe(1);
  });

  it('puts untrusted text on one line', () => {
    const alert = notificationAlert({ annotations: { summary: 'line one\nline two\r\n\u0007bell' } });
    const body = renderSms(notification([alert]), TO).body;
    expect(body).toContain('line one line two bell');
    expect(body).not.toMatch(/\s{2}|\n|\r/);
    expect(body.includes(String.fromCharCode(7))).toBe(false);
  });

  it('tags other severities and falls back to the diagnosis summary', () => {
    const alert = notificationAlert({
      severity: 'warning',
      annotations: {},
      diagnosis: {
        summary: 'The upstream answers 503',
        probable_cause: null,
        evidence: [],
        recommendations: [],
        confidence: 'high',
        source: 'rules',
      },
    });
    const body = renderSms(notification([alert], { severity: 'warning' }), TO).body;
    expect(body.startsWith('WARN ServiceDown: API Root since 13:40 UTC - The upstream answers 503')).toBe(true);
  });

  it('gives the date when the group started on another day', () => {
    const alert = notificationAlert({ startsAt: STARTED_AT - 24 * 3_600_000 });
    expect(renderSms(notification([alert]), TO).body).toContain('since 2026-12-03 13:40 UTC');
  });

  it('says how long a resolved group lasted, briefly', () => {
    const alert = notificationAlert({ status: 'resolved', endsAt: STARTED_AT + 12 * 60_000 });
    expect(renderSms(notification([alert]), TO).body).toBe('RESOLVED ServiceDown: API Root after 12 min');
  });
});
