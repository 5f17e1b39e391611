// The Slack channel's real undici client against a local webhook server: the body Slack would receive for a group of
// 300 checks down, and what each answer comes to (429 + Retry-After, 500, 404, a refused connection, an abort).

import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SlackMessage } from '../../../src/notify/slack/blocks.js';
import { createSlackChannel } from '../../../src/notify/slack/slack-channel.js';
import { unusedPort } from '../../helpers/ports.js';
import { bigGroup } from '../../helpers/notification-fixtures.js';
import { expectWithinSlackLimits } from '../../helpers/slack-limits.js';

interface Received {
  method: string;
  url: string;
  contentType: string | undefined;
  body: string;
}

interface Answer {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

/** A webhook that records what it receives and answers as the test says (Slack's `ok` by default). */
class FakeSlackWebhook {
  readonly received: Received[] = [];
  answer: Answer = { status: 200, body: 'ok' };
  private readonly server: Server = createServer((request, response) => {
    void this.record(request).then(() => {
      response.writeHead(this.answer.status, { 'content-type': 'text/plain', ...this.answer.headers });
      response.end(this.answer.body);
    });
  });

  async start(): Promise<string> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/services/T000/B000/secret-token`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async record(request: IncomingMessage): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    this.received.push({
      method: request.method ?? '',
      url: request.url ?? '',
      contentType: request.headers['content-type'],
      body: Buffer.concat(chunks).toString('utf8'),
    });
  }
}

const webhook = new FakeSlackWebhook();
let webhookUrl: string;
const signal = () => AbortSignal.timeout(10_000);

beforeAll(async () => {
  webhookUrl = await webhook.start();
});
afterAll(async () => {
  await webhook.stop();
});
beforeEach(() => {
  webhook.received.length = 0;
  webhook.answer = { status: 200, body: 'ok' };
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
