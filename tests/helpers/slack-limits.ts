// Block Kit's limits and mrkdwn's escaping, asserted over a whole Slack message (what Slack would refuse or misread).

import { expect } from 'vitest';
import { SLACK_LIMITS, type SlackBlock, type SlackMessage } from '../../src/notify/slack/blocks.js';

/** Every mrkdwn text of a message. */
export function mrkdwnTexts(message: SlackMessage): string[] {
  return message.attachments[0].blocks.flatMap((block: SlackBlock) => {
    switch (block.type) {
      case 'section':
        return 'text' in block ? [block.text.text] : block.fields.map((field) => field.text);
      case 'context':
        return block.elements.map((element) => element.text);
      default:
        return [];
    }
  });
}

/** A bare `&` or a `<` that opens anything but a link Vigil wrote: label text escaped or cut mid-entity. */
const UNESCAPED = /&(?!amp;|lt;|gt;)|<(?!https?:\/\/)/;

export function expectWithinSlackLimits(message: SlackMessage): void {
  const { blocks } = message.attachments[0];
  expect(blocks.length).toBeGreaterThan(0);
  expect(blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
  expect(message.text.length).toBeGreaterThan(0);
  expect(message.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText);
  for (const block of blocks) {
    switch (block.type) {
      case 'header':
        expect(block.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
        break;
      case 'section':
        if ('text' in block) {
          expect(block.text.text.length).toBeGreaterThan(0);
          expect(block.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
        } else {
          expect(block.fields.length).toBeLessThanOrEqual(SLACK_LIMITS.fields);
          for (const field of block.fields) expect(field.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
        }
        break;
      case 'context':
        for (const element of block.elements) {
          expect(element.text.length).toBeLessThanOrEqual(SLACK_LIMITS.contextText);
        }
        break;
      case 'actions':
        expect(block.elements.length).toBeLessThanOrEqual(SLACK_LIMITS.buttons);
        for (const button of block.elements) {
          expect(button.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.buttonText);
          expect(button.url).toMatch(/^https?:\/\//);
        }
        break;
    }
  }
  for (const text of [message.text, ...mrkdwnTexts(message)]) expect(text).not.toMatch(UNESCAPED);
}
