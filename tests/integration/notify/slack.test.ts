// The Slack channel's real undici client against a local webhook server: the body Slack would receive for a group of
// 300 checks down, and what each answer comes to (429 + Retry-After, 500, 404, a refused connection, an abort).

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SlackMessage } from '../../../src/notify/slack/blocks.js';
import { createSlackChannel } from '../../../src/notify/slack/slack-channel.js';
import { unusedPort } from '../../helpers/ports.js';
import { bigGroup } from '../../helpers/notification-fixtures.js';
import { RecordingHttpServer } from '../../helpers/recording-http-server.js';
import { expectWithinSlackLimits } from '../../helpers/slack-limits.js';

/** A webhook that records what it receives and answers as the test says (Slack's `ok` by default). */
const webhook = new RecordingHttpServer({ status: 200, body: 'ok' });
let webhookUrl: string;
const signal = () => AbortSignal.timeout(10_000);

beforeAll(async () => {
  webhookUrl = `${await webhook.start()}/services/T000/B000/secret-token`;
});
afterAll(async () => {
  await webhook.stop();
});
beforeEach(() => {
  webhook.reset();
});

describe('Slack channel against a local webhook', () => {
  it('posts one message for a group of 300 alerts, within Block Kit limits', async () => {
    const slack = createSlackChannel({ webhookUrl });
    const outcome = await slack.send(slack.render(bigGroup(300)), { signal: signal() });

    expect(outcome).toEqual({ kind: 'sent' });
    expect(webhook.received).toHaveLength(1);
    const [request] = webhook.received;
    expect(request).toMatchObject({
      method: 'POST',
      url: '/services/T000/B000/secret-token',
      contentType: 'application/json; charset=utf-8',
    });
    const body = JSON.parse(request?.body ?? '') as SlackMessage;
    expect(Object.keys(body).sort()).toEqual(['attachments', 'text']);
    expect(body.attachments).toHaveLength(1);
    expect(body.attachments[0].color).toBe('#d63c3c');
    expectWithinSlackLimits(body);
    const more = body.attachments[0].blocks.at(-2);
    expect(more?.type === 'context' && more.elements[0]?.text).toMatch(
      /^…and \d+ more: <https:\/\/vigil\.example\/alerts\?group=CheckDown\|/,
    );
  });

  it('answers 429 with Retry-After: 2 as a retry after at least 2 s', async () => {
    webhook.answer = { status: 429, body: 'rate_limited', headers: { 'retry-after': '2' } };
    const slack = createSlackChannel({ webhookUrl });
    const outcome = await slack.send(slack.render(bigGroup(1)), { signal: signal() });
    expect(outcome).toEqual({ kind: 'retry', reason: 'slack: HTTP 429: rate_limited', afterMs: 2_000 });
  });

  it('retries a 500 on the worker backoff', async () => {
    webhook.answer = { status: 500, body: 'internal_error' };
    const slack = createSlackChannel({ webhookUrl });
    const outcome = await slack.send(slack.render(bigGroup(1)), { signal: signal() });
    expect(outcome).toEqual({ kind: 'retry', reason: 'slack: HTTP 500: internal_error' });
  });

  it.each([
    [404, 'channel_not_found'],
    [400, 'invalid_payload'],
    [403, 'action_prohibited'],
  ])('gives up on %i %s, naming why but not the URL', async (status, slackError) => {
    webhook.answer = { status, body: slackError };
    const slack = createSlackChannel({ webhookUrl });
    const outcome = await slack.send(slack.render(bigGroup(1)), { signal: signal() });
    expect(outcome).toEqual({ kind: 'dead', reason: `slack: HTTP ${status}: ${slackError}` });
    expect(JSON.stringify(outcome)).not.toContain('secret-token');
  });

  it('keeps only the start of a long error body, on one line', async () => {
    webhook.answer = { status: 400, body: `invalid_blocks\n${'x'.repeat(100_000)}` };
    const slack = createSlackChannel({ webhookUrl });
    const outcome = await slack.send(slack.render(bigGroup(1)), { signal: signal() });
    expect(outcome.kind).toBe('dead');
    expect(outcome.kind === 'dead' && outcome.reason.startsWith('slack: HTTP 400: invalid_blocks x')).toBe(true);
    expect(outcome.kind === 'dead' && outcome.reason.length).toBeLessThan(600);
  });

  it('retries when nothing listens, without quoting the URL', async () => {
    const slack = createSlackChannel({ webhookUrl: `http://127.0.0.1:${await unusedPort()}/services/secret-token` });
    const outcome = await slack.send(slack.render(bigGroup(1)), { signal: signal() });
    expect(outcome).toEqual({ kind: 'retry', reason: 'slack: network error (ECONNREFUSED)' });
  });

  it('retries when the attempt is aborted', async () => {
    const slack = createSlackChannel({ webhookUrl });
    const outcome = await slack.send(slack.render(bigGroup(1)), { signal: AbortSignal.abort() });
    expect(outcome).toEqual({ kind: 'retry', reason: 'slack: the attempt was aborted' });
  });

  it('refuses a webhook URL that is not http(s) without quoting it', () => {
    expect(() => createSlackChannel({ webhookUrl: 'ftp://hooks.example/secret-token' })).toThrow(
      'slack: the webhook URL is not http(s)',
    );
    expect(() => createSlackChannel({ webhookUrl: 'secret-token' })).toThrow(/^slack: the webhook URL is not a URL$/);
  });
});
