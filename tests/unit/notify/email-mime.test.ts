// The alert email's MIME message built in one pass is the message nodemailer's own streaming build makes of the same
// input, byte for byte but for the Date and the random boundary: ASCII and non-ASCII text, long lines, a long group,
// markup and a display name that needs encoding.

import MailComposer from 'nodemailer/lib/mail-composer';
import { describe, expect, it } from 'vitest';
import { mimeMessage, type MimeInput } from '../../../src/notify/email/mime-message.js';
import { renderEmail } from '../../../src/notify/email/render.js';
import { manyAlerts, notification, notificationAlert } from '../../helpers/notification-builder.js';

function inputOf(group: Parameters<typeof renderEmail>[0], from = 'Vigil <vigil@alerts.example>'): MimeInput {
  return { ...renderEmail(group, 'oncall@example.com', { messageIdDomain: 'alerts.example' }), from };
}

/** Boundaries and the Date header are new for every build: named the same way in both. */
function comparable(raw: Buffer | string): string {
  const boundaries = new Map<string, string>();
  return raw
    .toString()
    .replace(/^Date: .*$/m, 'Date: (date)')
    .replace(/--_NmP-[0-9a-f]+-Part_\d+/g, (boundary) => {
      if (!boundaries.has(boundary)) boundaries.set(boundary, `(boundary ${boundaries.size})`);
      return boundaries.get(boundary)!;
    });
}

async function nodemailerBuild(input: MimeInput): Promise<Buffer> {
  return new MailComposer({ ...input, headers: { ...input.headers } }).compile().build();
}

const longLine = `${'x'.repeat(300)} ${'é'.repeat(120)}`;

describe('alert email MIME message', () => {
  const cases: { name: string; input: MimeInput }[] = [
    { name: 'one alert', input: inputOf(notification()) },
    {
      name: 'markup, non-ASCII text and long lines',
      input: inputOf(
        notification([
          notificationAlert({
            labels: { alertname: 'ServiceDown', severity: 'critical', name: 'Zürich <b>API</b> — 東京' },
            annotations: { summary: longLine, description: 'a\n.leading dot\r\nand CRLF  \ntrailing spaces  ' },
          }),
        ]),
      ),
    },
    { name: 'a long group', input: inputOf(notification(manyAlerts(80))) },
    { name: 'a sender named in non-ASCII', input: inputOf(notification(), 'Vigil Überwachung <vigil@alerts.example>') },
    {
      name: 'plain ASCII text parts',
      input: { ...inputOf(notification()), subject: 'plain', text: 'short ascii text\n', html: '<p>short</p>' },
    },
  ];

  it.each(cases)('$name: the same bytes as nodemailer builds', async ({ input }) => {
    const built = mimeMessage(input);

    expect(comparable(built.raw)).toBe(comparable(await nodemailerBuild(input)));
    expect(built.envelope).toEqual({ from: 'vigil@alerts.example', to: ['oncall@example.com'] });
  });
});
