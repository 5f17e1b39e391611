// Slack through the whole receiver: a group of 300 alerts is one post within Block Kit's limits; a 429 with
// Retry-After holds the next attempt for that long (measured at the webhook); a 500 is retried; a 404 is given up
// with Slack's reason in the delivery log.

import { describe, expect, it } from 'vitest';
import type { SlackMessage } from '../../../src/notify/slack/blocks.js';
import { expectWithinSlackLimits } from '../../helpers/slack-limits.js';
import { firing, group, serviceDown, SLACK_PATH, useDeliveryHarness } from './delivery-harness.js';

const harness = useDeliveryHarness();

describe('Slack delivery', () => {
  it('posts a group of 300 alerts once, within Block Kit limits, with "…and N more"', async () => {
    const alerts = Array.from({ length: 300 }, (_, index) =>
      firing(harness.receiver, serviceDown(`slack_big_${index}`, 'slack')),
    );
    await harness.post(group('slack-big', alerts));

    const deliveries = await harness.settledDeliveries('slack_big_0');
    expect(deliveries).toEqual([expect.objectContaining({ channel: 'slack', recipient: null, state: 'sent' })]);
    expect(harness.slack.received).toHaveLength(1);
    const [request] = harness.slack.received;
    expect(request).toMatchObject({ method: 'POST', url: SLACK_PATH });
    const body = JSON.parse(request?.body ?? '') as SlackMessage;
    expectWithinSlackLimits(body);
    const more = body.attachments[0].blocks.find(
      (block) => block.type === 'context' && block.elements[0]?.text.startsWith('…and '),
    );
    expect(more?.type === 'context' && more.elements[0]?.text).toMatch(
      /^…and \d+ more: <http:\/\/alertmanager-1\.example:9093\/#\/alerts\?filter=/,
    );
  });

  it('waits out a 429 Retry-After: 2 before the next attempt, then sends', async () => {
    harness.slack.queued.push({ status: 429, body: 'rate_limited', headers: { 'retry-after': '2' } });

    const deliveries = await harness.deliverAlone('slack_429', 'slack');

    expect(deliveries).toEqual([expect.objectContaining({ channel: 'slack', state: 'sent', attempts: 2 })]);
    const [first, second] = harness.slack.received;
    expect(harness.slack.received).toHaveLength(2);
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(2_000);
  });

  it('retries a 500, then sends', async () => {
    harness.slack.queued.push({ status: 500, body: 'internal_error' });

    const deliveries = await harness.deliverAlone('slack_500', 'slack');

    expect(deliveries).toEqual([expect.objectContaining({ channel: 'slack', state: 'sent', attempts: 2 })]);
    expect(harness.slack.received).toHaveLength(2);
  });

  it('gives up on a 404, with the reason Slack gave', async () => {
    harness.slack.answer = { status: 404, body: 'channel_not_found' };

    const deliveries = await harness.deliverAlone('slack_404', 'slack');

    expect(deliveries).toEqual([
      expect.objectContaining({
        channel: 'slack',
        state: 'dead',
        attempts: 1,
        last_error: 'slack: HTTP 404: channel_not_found',
      }),
    ]);
    expect(harness.slack.received).toHaveLength(1);
  });
});
