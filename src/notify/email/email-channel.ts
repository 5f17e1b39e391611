// The email channel: its SMTP settings, and a thin send through nodemailer that answers sent, retry or dead from the
// SMTP reply. Each recipient gets a message of its own (render takes one recipient) and so is its own outbox job,
// tracked and retried on its own: one address refused with a 550 is dead without holding back the others, and a
// 451 for one is retried without sending the message again to those who already have it.

import nodemailer from 'nodemailer';
import type { NodemailerError, SendMailOptions, SentMessageInfo } from 'nodemailer';
import type { Notification } from '../../model/notification.js';
import type { Channel, SendOptions, SendOutcome } from '../channel.js';
import { mimeMessage } from './mime-message.js';
import { renderEmail, type EmailMessage } from './render.js';

export interface EmailConfig {
  host: string;
  port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS is used when the server offers it. */
  secure: boolean;
  /** Without STARTTLS the send fails rather than go out in clear text (only when `secure` is false). */
  requireStartTls?: boolean;
  /** PEM certificates to trust besides the system's, for a server whose certificate a private CA signed. */
  caCertificates?: string;
  /** Both or neither: a server that needs no login gets none. */
  user?: string;
  password?: string;
  /** The sender, `vigil@example.com` or `Vigil <vigil@example.com>`; its domain also ends each Message-ID. */
  from: string;
  /** For connecting, the greeting and each reply: nodemailer's defaults are minutes, longer than an attempt. */
  timeoutMs?: number;
  /** SMTP connections kept open and used at once: the channel's concurrency (default 4). */
  maxConnections?: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;

const DEFAULT_MAX_CONNECTIONS = 4;

/** What the channel needs of a nodemailer transporter; a test may hand in its own. */
export interface MailTransport {
  sendMail(options: SendMailOptions): Promise<SentMessageInfo>;
  /** Closes the connections it keeps open. */
  close?(): void;
}

/**
 * A pool of SMTP connections, each used for many messages: a new connection per message (TCP, greeting, EHLO,
 * STARTTLS, login) cost several milliseconds of CPU each, and a burst of groups queued behind them. A connection the
 * server closes while idle is replaced on the next message; one whose message the server refused is reset and kept.
 */
export function createSmtpTransport(config: EmailConfig): MailTransport {
  const timeout = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return nodemailer.createTransport({
    pool: true,
    maxConnections: config.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
    host: config.host,
    port: config.port,
    secure: config.secure,
    requireTLS: config.requireStartTls === true,
    ...(config.caCertificates !== undefined ? { tls: { ca: config.caCertificates } } : {}),
    ...(config.user !== undefined ? { auth: { user: config.user, pass: config.password ?? '' } } : {}),
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    dnsTimeout: timeout,
    // nodemailer logs nothing unless asked: keep it so, the outbox records the outcome.
    logger: false,
  });
}

export function createEmailChannel(
  config: EmailConfig,
  transport: MailTransport = createSmtpTransport(config),
): Channel<EmailMessage> {
  const messageIdDomain = domainOf(config.from);
  return {
    name: 'email',
    render(notification: Notification, recipient?: string): EmailMessage {
      if (recipient === undefined) throw new Error('the email channel renders a message for one recipient address');
      return renderEmail(notification, recipient, { messageIdDomain });
    },
    async send(message: EmailMessage, { signal }: SendOptions): Promise<SendOutcome> {
      try {
        // Handed over whole (see mime-message.ts). One recipient per message: when the server refuses it,
        // nodemailer fails the whole send (EENVELOPE with the reply code), so a refusal is never a quiet entry in
        // `info.rejected`.
        const { envelope, raw } = mimeMessage({ ...message, from: config.from });
        await transport.sendMail({ envelope, raw, signal });
        return { kind: 'sent', providerId: message.messageId };
      } catch (error) {
        return smtpOutcome(error, config.password);
      }
    },
    close(): void {
      transport.close?.();
    },
  } satisfies Channel<EmailMessage>;
}

/**
 * Failures with no SMTP reply that a retry would meet again: the settings or the message are wrong (EAUTH without a
 * reply: no credentials, or no login method both sides know).
 */
const PERMANENT_WITHOUT_REPLY = new Set(['ECONFIG', 'EAUTH', 'ENOAUTH', 'EMAXRECIPIENTS', 'EFILEACCESS', 'EURLACCESS']);

/** 503 "bad sequence of commands" is about the session, not the message: a new connection can take it. */
const BAD_SEQUENCE = 503;

/**
 * A failed send as an outcome. SMTP says it itself (RFC 5321): a 5xx reply is permanent (dead) but for 503, a 4xx
 * reply is transient (retry). No reply at all (a refused connection, a timeout, an abort) is retried too, except the
 * few failures of configuration above. The reason names the reply, never the password.
 */
export function smtpOutcome(error: unknown, password?: string): SendOutcome {
  const failure = (error ?? {}) as NodemailerError;
  const code = failure.responseCode;
  const reason = hidePassword(reasonOf(failure), password);
  if (code !== undefined && code >= 500 && code < 600 && code !== BAD_SEQUENCE) return { kind: 'dead', reason };
  if (code === undefined && failure.code !== undefined && PERMANENT_WITHOUT_REPLY.has(failure.code)) {
    return { kind: 'dead', reason };
  }
  return { kind: 'retry', reason };
}

function reasonOf(failure: NodemailerError): string {
  const where = failure.command === undefined ? '' : ` at ${failure.command.split(' ')[0]}`;
  if (failure.responseCode !== undefined) {
    const reply = failure.response ?? failure.message;
    return `SMTP ${failure.responseCode}${where}: ${reply}`;
  }
  const code = failure.code ?? failure.name ?? 'Error';
  return `${code}${where}: ${failure.message ?? String(failure)}`;
}

function hidePassword(text: string, password: string | undefined): string {
  return password === undefined || password === '' ? text : text.split(password).join('***');
}

/** `Vigil <vigil@example.com>` → `example.com`; `localhost` when the address has none. */
export function domainOf(address: string): string {
  const match = /@([^\s<>@]+?)>?\s*$/.exec(address);
  return match?.[1] ?? 'localhost';
}
