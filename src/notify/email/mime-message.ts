// An alert email as the bytes that go after SMTP DATA, built in one synchronous pass. nodemailer's own MIME tree
// (MailComposer: its header encoding, address parsing, Date, boundaries, transfer-encoding choice) decides what the
// message is; only the streaming of it is done here. nodemailer streams a multipart message through a chain of
// setImmediate hops (about 14 turns of the event loop for a text and an HTML part, against 3 for a Slack post), and
// in a process that shares its loop with the prober and the receiver each turn waits behind their work: that wait,
// not the bytes, was most of an email's send time. A message handed over whole goes out in a handful of turns.

import MailComposer from 'nodemailer/lib/mail-composer';
import type MimeNode from 'nodemailer/lib/mime-node';
import { encode as base64Encode, wrap as base64Wrap } from 'nodemailer/lib/base64';
import { encode as qpEncode, wrap as qpWrap } from 'nodemailer/lib/qp';
import type { EmailMessage } from './render.js';

/** The line length nodemailer wraps encoded bodies at (RFC 2045 allows 76 characters). */
const LINE_LENGTH = 76;

/** A rendered email and its sender. */
export type MimeInput = EmailMessage & { from: string };

export interface MimeMessage {
  /** The SMTP envelope: the bare sender and recipient addresses. */
  envelope: { from: string | false; to: string[] };
  raw: Buffer;
}

export function mimeMessage(input: MimeInput): MimeMessage {
  const root = new MailComposer({ ...input, headers: { ...input.headers } }).compile();
  const parts: string[] = [];
  writeNode(root, parts);
  const raw = parts.join('');
  // As nodemailer ends every message: with a line break.
  return { envelope: root.getEnvelope(), raw: Buffer.from(raw.endsWith('\n') ? raw : `${raw}\r\n`) };
}

/** One node and its children, in the order and with the separators nodemailer's MimeNode streams them. */
function writeNode(node: MimeNode, parts: string[]): void {
  const encoding = node.getTransferEncoding();
  parts.push(`${node.buildHeaders()}\r\n\r\n`);
  if (node.content !== undefined && node.content !== '') parts.push(encodedContent(node.content, encoding));
  if (!node.multipart) return;
  node.childNodes.forEach((child, index) => {
    parts.push(`${index > 0 ? '\r\n' : ''}--${String(node.boundary)}\r\n`);
    writeNode(child, parts);
  });
  parts.push(`\r\n--${String(node.boundary)}--\r\n`);
}

function encodedContent(content: MimeNode['content'], encoding: string | false): string {
  // Every part of an alert email is a string this module was given; a stream or a file would need the async build.
  if (typeof content !== 'string') throw new Error('an alert email part is not text');
  if (encoding === 'quoted-printable') return qpWrap(qpEncode(content), LINE_LENGTH);
  if (encoding === 'base64') return base64Wrap(base64Encode(content), LINE_LENGTH);
  // 7bit: nodemailer chose it because the text is plain ASCII with short lines.
  return content;
}
