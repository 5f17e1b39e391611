// The email channel against a real SMTP server (the smtp-server package) on port 0: what arrives, parsed with
// mailparser as a mail client would, and how SMTP replies become outcomes (451 retried then delivered, 550 dead).

import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEmailChannel as createChannel, type EmailConfig } from '../../../src/notify/email/email-channel.js';
import { notification, notificationAlert } from '../../helpers/notification-builder.js';
import { createTestCertificates, type TestCertificates } from '../../helpers/tls-certs.js';

/** What the server does with a recipient, by the address's local part. */
const TEMPORARY_ONCE = 'busy-once@example.com';
const REFUSED = 'nobody@example.com';

interface Received {
  recipients: string[];
  mail: ParsedMail;
}

let server: SMTPServer;
let port: number;
let received: Received[] = [];
let attemptsByRecipient = new Map<string, number>();
/** SMTP connections the server accepted since the last test began. */
let connections = 0;

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onConnect(_session, callback) {
      connections += 1;
      callback();
    },
    onRcptTo(address, _session, callback) {
      const attempts = (attemptsByRecipient.get(address.address) ?? 0) + 1;
      attemptsByRecipient.set(address.address, attempts);
      if (address.address === TEMPORARY_ONCE && attempts === 1) return callback(smtpError(451, 'Try again later'));
      if (address.address === REFUSED) return callback(smtpError(550, 'No such user here'));
      callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          received.push({ recipients: session.envelope.rcptTo.map((each) => each.address), mail });
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  port = await listen(server);
});

afterAll(async () => {
  await close(server);
});

/** Listens on a port the system picks, on loopback; answers the port. */
async function listen(smtp: SMTPServer): Promise<number> {
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  return (smtp.server.address() as AddressInfo).port;
}

async function close(smtp: SMTPServer): Promise<void> {
  await new Promise<void>((resolve) => smtp.close(resolve));
}

/** The channels a test made: each keeps a pool of SMTP connections open until it is closed. */
const opened: ReturnType<typeof createChannel>[] = [];

function createEmailChannel(emailConfig: EmailConfig): ReturnType<typeof createChannel> {
  const channel = createChannel(emailConfig);
  opened.push(channel);
  return channel;
}

afterEach(() => {
  for (const channel of opened.splice(0)) channel.close?.();
});

beforeEach(() => {
  received = [];
  attemptsByRecipient = new Map();
  connections = 0;
});

function config(overrides: Partial<EmailConfig> = {}): EmailConfig {
  return {
    host: '127.0.0.1',
    port,
    secure: false,
    from: 'Vigil <vigil@alerts.example>',
    timeoutMs: 5_000,
    ...overrides,
  };
}

function signal(): AbortSignal {
  return AbortSignal.timeout(10_000);
}

describe('email channel over SMTP', () => {
  it('delivers an HTML and a text part with the subject, Message-ID and escaped label text', async () => {
    const channel = createEmailChannel(config());
    const group = notification([
      notificationAlert({
        labels: { alertname: 'ServiceDown', severity: 'critical', name: '<script>alert(1)</script>' },
        annotations: { summary: 'Down & out <b>now</b>' },
      }),
    ]);
    const message = channel.render(group, 'oncall@example.com');

    const outcome = await channel.send(message, { signal: signal() });

    expect(outcome).toEqual({ kind: 'sent', providerId: message.messageId });
    expect(received).toHaveLength(1);
    const [{ recipients, mail }] = received as [Received];
    expect(recipients).toEqual(['oncall@example.com']);
    expect(mail.subject).toBe('[CRITICAL] ServiceDown — <script>alert(1)</script>');
    expect(mail.messageId).toBe(message.messageId);
    expect(mail.messageId).toMatch(/^<vigil\.[0-9a-f]{32}@alerts\.example>$/);
    expect(mail.from?.value).toEqual([{ name: 'Vigil', address: 'vigil@alerts.example' }]);
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    const html = String(mail.html);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>');
    expect(html).toContain('Down &amp; out &lt;b&gt;now&lt;/b&gt;');
    expect(html).toContain('#d63c3c');
    expect(html).toContain('href="http://prometheus.example:9090/graph?g0.expr=up%3D%3D0"');
    expect(mail.text).toContain('ServiceDown — <script>alert(1)</script>');
    expect(mail.text).toContain('since 2026-12-04 13:40 UTC (for 12 min)');
  });

  it('answers retry on a 451 and delivers the same message on the next attempt', async () => {
    const channel = createEmailChannel(config());
    const message = channel.render(notification(), TEMPORARY_ONCE);

    const first = await channel.send(message, { signal: signal() });
    expect(first).toMatchObject({ kind: 'retry', reason: expect.stringContaining('451') as unknown });
    expect(received).toHaveLength(0);

    const second = await channel.send(channel.render(notification(), TEMPORARY_ONCE), { signal: signal() });
    expect(second).toEqual({ kind: 'sent', providerId: message.messageId });
    expect(received.map((each) => each.mail.messageId)).toEqual([message.messageId]);
  });

  it('answers dead on a 550, naming the reply', async () => {
    const channel = createEmailChannel(config());

    const outcome = await channel.send(channel.render(notification(), REFUSED), { signal: signal() });

    expect(outcome).toEqual({
      kind: 'dead',
      reason: expect.stringMatching(/^SMTP 550 at RCPT: .*No such user/) as unknown,
    });
    expect(received).toHaveLength(0);
  });

  it('answers retry when nothing listens, without the password in the reason', async () => {
    const closed = new SMTPServer({ authOptional: true, disabledCommands: ['STARTTLS'], logger: false });
    const closedPort = await listen(closed);
    await close(closed);
    const channel = createEmailChannel(config({ port: closedPort, user: 'vigil', password: 's3cret-pw' }));

    const outcome = await channel.send(channel.render(notification(), 'oncall@example.com'), { signal: signal() });

    expect(outcome.kind).toBe('retry');
    expect(JSON.stringify(outcome)).not.toContain('s3cret-pw');
  });

  it('answers retry when the attempt is aborted', async () => {
    const channel = createEmailChannel(config());

    const outcome = await channel.send(channel.render(notification(), 'oncall@example.com'), {
      signal: AbortSignal.abort(),
    });

    expect(outcome.kind).toBe('retry');
    expect(received).toHaveLength(0);
  });
});

describe('email channel connections', () => {
  it('sends many messages over at most its concurrency of connections, and keeps one a refusal came on', async () => {
    const channel = createEmailChannel(config({ maxConnections: 2 }));
    const recipients = Array.from({ length: 12 }, (_, index) => `oncall-${index}@example.com`);
    const outcomes = await Promise.all(
      [...recipients, REFUSED].map((recipient) =>
        channel.send(channel.render(notification(), recipient), { signal: signal() }),
      ),
    );
    const after = await channel.send(channel.render(notification(), 'late@example.com'), { signal: signal() });

    expect(outcomes.filter((outcome) => outcome.kind === 'sent')).toHaveLength(12);
    expect(outcomes.at(-1)?.kind).toBe('dead');
    expect(after.kind).toBe('sent');
    expect(received).toHaveLength(13);
    expect(connections).toBeLessThanOrEqual(2);
  });
});

describe('email channel over TLS', () => {
  const USER = 'vigil';
  const PASSWORD = 'correct horse';
  let certificates: TestCertificates;

  beforeAll(async () => {
    certificates = await createTestCertificates();
  });

  afterAll(async () => {
    await certificates.close();
  });

  /** A server with the test CA's certificate that takes mail only from a logged-in, encrypted session. */
  async function withTlsServer(options: SMTPServerOptions, run: (port: number) => Promise<void>): Promise<void> {
    const tlsServer = new SMTPServer({
      key: certificates.leaf.key,
      cert: certificates.leaf.chain,
      logger: false,
      onAuth(auth, _session, callback) {
        if (auth.username === USER && auth.password === PASSWORD) return callback(null, { user: USER });
        callback(Object.assign(new Error('Invalid login'), { responseCode: 535 }));
      },
      onData(stream, session, callback) {
        stream.resume();
        stream.on('end', () => callback(session.secure ? null : new Error('clear text')));
      },
      ...options,
    });
    const tlsPort = await listen(tlsServer);
    try {
      await run(tlsPort);
    } finally {
      for (const channel of opened.splice(0)) channel.close?.();
      await close(tlsServer);
    }
  }

  function tlsConfig(tlsPort: number, overrides: Partial<EmailConfig>): EmailConfig {
    const trust = { caCertificates: certificates.ca.cert, user: USER, password: PASSWORD };
    return config({ host: 'localhost', port: tlsPort, ...trust, ...overrides });
  }

  it('upgrades with STARTTLS before logging in', async () => {
    await withTlsServer({}, async (tlsPort) => {
      const channel = createEmailChannel(tlsConfig(tlsPort, { requireStartTls: true }));
      const outcome = await channel.send(channel.render(notification(), 'oncall@example.com'), { signal: signal() });
      expect(outcome.kind).toBe('sent');
    });
  });

  it('speaks TLS from the first byte when secure', async () => {
    await withTlsServer({ secure: true }, async (tlsPort) => {
      const channel = createEmailChannel(tlsConfig(tlsPort, { secure: true }));
      const outcome = await channel.send(channel.render(notification(), 'oncall@example.com'), { signal: signal() });
      expect(outcome.kind).toBe('sent');
    });
  });

  it('answers dead on a refused login, without the password', async () => {
    await withTlsServer({}, async (tlsPort) => {
      const channel = createEmailChannel(tlsConfig(tlsPort, { password: 'wrong horse' }));
      const outcome = await channel.send(channel.render(notification(), 'oncall@example.com'), { signal: signal() });
      expect(outcome).toMatchObject({ kind: 'dead', reason: expect.stringContaining('535') as unknown });
      expect(JSON.stringify(outcome)).not.toContain('wrong horse');
    });
  });
});
