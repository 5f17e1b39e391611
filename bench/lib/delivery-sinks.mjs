// The far ends of delivery for the benchmarks, in a process of their own so their work is not counted against the
// receiver or slow the load generator: a Slack incoming webhook (node:http, 200 "ok" as soon as the body is in) and
// an SMTP server (smtp-server, no STARTTLS, no login, every message accepted, its subject decoded as a mail client
// would). Each message received is stamped with the wall clock (performance.timeOrigin + performance.now(),
// comparable across processes on one machine) and, when it names a group token (`delivery_<n>`), filed under it.
// IPC (lib/common.mjs startWorker): sends { ready: { slackUrl, smtpPort } }; answers { ask: 'counts' } with the
// messages received per channel, and { ask: 'received' } with every [channel, token, at] received so far.
//
//   delivery-sinks.mjs

import { createServer } from 'node:http';
import { SMTPServer } from 'smtp-server';
import { SMTPConnection } from 'smtp-server/lib/smtp-connection.js';
import { exitWhenStopped } from './common.mjs';

/** The group token the delivery benchmark puts in each group's check label and summary. */
const TOKEN = /delivery_(\d+)/;

// smtp-server holds every greeting 100 ms to catch clients that talk before it (an anti-spam pause, like postfix's
// postscreen). With a new connection per message that pause was most of an email's time (110 ms of 120 alone) and
// capped what any sender could do at the default 4 sends in flight; the sink is to answer at once, like the Slack one.
if (typeof SMTPConnection.prototype.connectionReady !== 'function')
  throw new Error('smtp-server changed: no connectionReady');
SMTPConnection.prototype.init = function greetAtOnce() {
  this._setListeners(() => this.connectionReady());
};

const wallClock = () => performance.timeOrigin + performance.now();
const counts = { slack: 0, email: 0 };
/** [channel, token, received at]; a message naming no token counts but is not listed. */
const received = [];

function record(channel, text, at) {
  counts[channel] += 1;
  const match = TOKEN.exec(text);
  if (match) received.push([channel, Number(match[1]), at]);
}

/** While set (`{ ask: 'hold' }`), Slack posts are read but answered only at `{ ask: 'release' }`, then counted. */
let held;

function answerSlack(text, response) {
  record('slack', text, wallClock());
  response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
}

const slack = createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    const text = Buffer.concat(chunks).toString('utf8');
    if (held) held.push([text, response]);
    else answerSlack(text, response);
  });
});

/**
 * An email's Subject as a mail client shows it: header lines unfolded, RFC 2047 encoded words (`=?UTF-8?Q?...?=`,
 * `?B?`) decoded. The group token is in the subject; reading only it took the sink's CPU per email from 4.6 ms (a full
 * parse with mailparser) to 2.6 ms, on the two cores it shares with the receiver.
 */
function subjectOf(raw) {
  const headers = raw.slice(0, raw.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' ');
  const subject = /^Subject: (.*)$/im.exec(headers)?.[1] ?? '';
  return subject.replace(/\?=\s+=\?/g, '?==?').replace(/=\?[^?]+\?([QqBb])\?([^?]*)\?=/g, (_, encoding, text) =>
    encoding.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(
          text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (__, hex) => String.fromCharCode(parseInt(hex, 16))),
          'latin1',
        ).toString('utf8'),
  );
}

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  // A reverse DNS lookup per connection would time the resolver, not the delivery.
  disableReverseLookup: true,
  logger: false,
  onData(stream, _session, callback) {
    // Received once the whole DATA is in.
    const chunks = [];
    stream.on('data', (chunk) => chunks.push(chunk));
    stream.on('end', () => {
      record('email', subjectOf(Buffer.concat(chunks).toString('latin1')), wallClock());
      callback();
    });
  },
});

await new Promise((resolve) => slack.listen(0, '127.0.0.1', resolve));
await new Promise((resolve) => smtp.listen(0, '127.0.0.1', resolve));

process.send({
  ready: { slackUrl: `http://127.0.0.1:${slack.address().port}/services/bench`, smtpPort: smtp.server.address().port },
});
process.on('message', (message) => {
  if (message.ask === 'counts') process.send({ id: message.id, answer: counts });
  if (message.ask === 'received') process.send({ id: message.id, answer: received });
  if (message.ask === 'hold') {
    held ??= [];
    process.send({ id: message.id, answer: true });
  }
  if (message.ask === 'release') {
    const waiting = held ?? [];
    held = undefined;
    for (const [text, response] of waiting) answerSlack(text, response);
    process.send({ id: message.id, answer: waiting.length });
  }
});

exitWhenStopped(async () => {
  slack.closeAllConnections();
  await Promise.all([new Promise((resolve) => slack.close(resolve)), new Promise((resolve) => smtp.close(resolve))]);
});
