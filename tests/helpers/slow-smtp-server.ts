// An SMTP server that answers slowly, on port 0: each message's data is read and parsed (mailparser, as a mail client
// would), and its "250 accepted" is held until the next burst (see answer-bursts.ts). A message counts as received
// only once it was accepted; one whose client vanished first was not delivered, since the client never learnt that
// it was.

import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { AnswerBursts } from './answer-bursts.js';

export interface DeliveredMail {
  messageId: string | undefined;
  subject: string | undefined;
  recipients: string[];
}

export class SlowSmtpServer {
  /** The messages accepted, in answer order. */
  readonly delivered: DeliveredMail[] = [];
  /** Connection failures, such as the resets of a client that was killed. */
  readonly connectionErrors: Error[] = [];
  private readonly closedSessions = new Set<string>();
  private readonly server: SMTPServer;

  constructor(bursts: AnswerBursts) {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onClose: (session) => this.closedSessions.add(session.id),
      onData: (stream, session, callback) => {
        const recipients = session.envelope.rcptTo.map((each) => each.address);
        simpleParser(stream).then(
          (mail) =>
            bursts.hold({
              clientGone: () => this.closedSessions.has(session.id),
              answer: () => {
                callback();
                this.delivered.push({ messageId: mail.messageId, subject: mail.subject, recipients });
              },
            }),
          (error: Error) => callback(error),
        );
      },
    });
    // A client that dies in the middle of a message resets its connection, and smtp-server reports that as an error
    // of the server: expected here (the test kills the client on purpose), so kept rather than thrown.
    this.server.on('error', (error: Error) => this.connectionErrors.push(error));
  }

  /** Starts listening on loopback; answers the port. */
  async start(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(resolve));
  }
}
