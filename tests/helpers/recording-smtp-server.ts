// A local SMTP server (the smtp-server package) on port 0 standing in for a mail relay: it parses every message it
// accepts with mailparser, as a mail client would read it, and refuses recipients as the test says (a 451 once, a
// 550), so what the receiver does with each SMTP reply can be seen at the server.

import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  /** The envelope's recipients. */
  recipients: string[];
  mail: ParsedMail;
}

/** An SMTP reply refusing a recipient: `451` asks to try later, `550` refuses for good. */
export interface SmtpReply {
  code: number;
  message: string;
}

export class RecordingSmtpServer {
  readonly received: ReceivedMail[] = [];
  /** Replies to the next RCPT commands, one each, in order; every other recipient is accepted. */
  readonly queuedRcptReplies: SmtpReply[] = [];
  /** RCPT commands seen, accepted or not: one per attempt at a single-recipient message. */
  rcptCount = 0;
  private readonly server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo: (_address, _session, callback) => {
      this.rcptCount += 1;
      const reply = this.queuedRcptReplies.shift();
      if (reply === undefined) return callback();
      callback(Object.assign(new Error(reply.message), { responseCode: reply.code }));
    },
    onData: (stream, session, callback) => {
      simpleParser(stream).then(
        (mail) => {
          this.received.push({ recipients: session.envelope.rcptTo.map((each) => each.address), mail });
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });

  /** Listens on loopback; answers the port. */
  async start(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.server.address() as AddressInfo).port;
  }

  /** Forgets what it received and the replies still queued, between tests. */
  reset(): void {
    this.received.length = 0;
    this.queuedRcptReplies.length = 0;
    this.rcptCount = 0;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(resolve));
  }
}
