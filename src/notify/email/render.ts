// Renders one alert email for one recipient (pure): subject, HTML and text parts, and a Message-ID derived from the
// group key, the group's state and the recipient, so a send retried after a crash carries the same Message-ID and
// the receiving side can see it is the same message.

import { createHash } from 'node:crypto';
import type { Notification } from '../../model/notification.js';
import { emailHtml } from './email-html.js';
import { emailText } from './email-text.js';
import { EMAIL_ALERT_LIMIT, emailView } from './email-view.js';

export interface EmailMessage {
  /** One address: every recipient gets a message of its own (see email-channel.ts). */
  to: string;
  subject: string;
  html: string;
  text: string;
  /** `<hex@domain>`, sent verbatim as the Message-ID header. */
  messageId: string;
  headers: Readonly<Record<string, string>>;
}

export interface EmailRenderOptions {
  /** The right-hand side of the Message-ID: the sender's domain. */
  messageIdDomain: string;
  /** Alerts listed before "…and N more". */
  alertLimit?: number;
}

export function renderEmail(notification: Notification, recipient: string, options: EmailRenderOptions): EmailMessage {
  const view = emailView(notification, options.alertLimit ?? EMAIL_ALERT_LIMIT);
  return {
    to: recipient,
    subject: view.subject,
    html: emailHtml(view),
    text: emailText(view),
    messageId: messageIdOf(notification, recipient, options.messageIdDomain),
    // RFC 3834: an automatic message, so out-of-office responders do not answer it.
    headers: { 'Auto-Submitted': 'auto-generated' },
  };
}

/** Same group, same state, same recipient: same id. Hashed, because group keys hold label text of any length. */
export function messageIdOf(notification: Notification, recipient: string, domain: string): string {
  const hash = createHash('sha256')
    .update([notification.groupKey, notification.stateKey, recipient].join('\0'))
    .digest('hex')
    .slice(0, 32);
  return `<vigil.${hash}@${domain}>`;
}
