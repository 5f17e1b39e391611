// The part of Slack's Block Kit a Vigil message uses, and Block Kit's limits, which render.ts keeps to by structure
// (whole alerts, whole lines) so that Slack never refuses a message as `invalid_blocks`.

export interface SlackPlainText {
  type: 'plain_text';
  text: string;
}

export interface SlackMrkdwn {
  type: 'mrkdwn';
  text: string;
}

export interface SlackButton {
  type: 'button';
  text: SlackPlainText;
  url: string;
  action_id: string;
}

export type SlackBlock =
  | { type: 'header'; text: SlackPlainText }
  | { type: 'section'; text: SlackMrkdwn }
  | { type: 'section'; fields: SlackMrkdwn[] }
  | { type: 'context'; elements: SlackMrkdwn[] }
  | { type: 'actions'; elements: SlackButton[] };

/**
 * What an incoming webhook is posted. Blocks have no colour of their own, so they sit inside one legacy attachment,
 * whose `color` is the bar beside the message; `text` is what notifications and screen readers show.
 */
export interface SlackMessage {
  text: string;
  attachments: [{ color: string; blocks: SlackBlock[] }];
}

export const SLACK_LIMITS = {
  blocks: 50,
  sectionText: 3_000,
  fields: 10,
  fieldText: 2_000,
  headerText: 150,
  buttons: 25,
  buttonText: 75,
  buttonUrl: 3_000,
  contextText: 3_000,
  /** The fallback `text`: a notification preview, kept to one section's size. */
  fallbackText: 3_000,
  /** Slack truncates a message past 40,000 characters; the alert list keeps well below that with the rest. */
  alertListText: 30_000,
} as const;
