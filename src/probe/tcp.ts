// The tcp check: resolve, connect, optionally wrap in TLS, optionally send a line and read until the answer
// matches `expect` (a banner, a PONG). Like blackbox_exporter's tcp prober, minus the query/response script.

import type { Socket } from 'node:net';
import type { TcpCheck } from '../model/check.js';
import { describeNetworkError } from './errors.js';
import { connectSocket, formatTarget, resolveAddress } from './net-connect.js';
import { compilePattern, excerpt, ProbeFailureError, type ProbeRun, runProbe } from './net-run.js';
import { startTls } from './net-tls.js';
import type { ProbeFn } from './types.js';

/** Bytes read at most while waiting for `expect` to match. */
const MAX_RESPONSE_BYTES = 64 * 1024;

export const probeTcp: ProbeFn<TcpCheck> = (check, context) =>
  runProbe(context, async (run) => {
    const expected = compilePattern(check.expect, 'expect');
    const target = formatTarget(check.host, check.port);
    const address = await resolveAddress(run, check.host);
    let socket: Socket = await connectSocket(run, address, check.port, target);
    let connectedTo = `connected to ${target}`;
    if (check.tls) {
      const session = await startTls(run, socket, { host: check.host, target });
      if (session.expiringFirst) run.certExpiresAt = session.expiringFirst.expiresAt;
      if (check.tlsVerify && session.verifyProblem) throw new ProbeFailureError('tls', session.verifyProblem);
      socket = session.socket;
      connectedTo += ` over ${session.protocol}`;
    }
    if (check.send !== undefined) await send(run, socket, check.send, target);
    if (!expected) return run.success(connectedTo);
    const response = await readUntilMatch(run, socket, expected, target);
    return run.success(`${connectedTo}; response matched /${expected.source}/: "${excerpt(response, 60)}"`);
  });

function send(run: ProbeRun, socket: Socket, data: string, target: string): Promise<void> {
  return run.step(`sending to ${target}`, 'processing', () => {
    return new Promise<void>((resolve, reject) => {
      socket.write(data, (error) => {
        if (error) reject(ProbeFailureError.from(describeNetworkError(error, target)));
        else resolve();
      });
    });
  });
}

/**
 * Reads until the received text matches, the bound is reached, the peer closes or the deadline passes. Only a
 * match resolves; the other endings are body failures that quote what did arrive, except a deadline with nothing
 * received at all, which is a timeout.
 */
async function readUntilMatch(run: ProbeRun, socket: Socket, expected: RegExp, target: string): Promise<string> {
  const chunks: Buffer[] = [];
  let received = 0;
  const receivedText = () => Buffer.concat(chunks).toString('utf8');
  const waitingFor = `a response matching /${expected.source}/ from ${target} (received nothing)`;
  const mismatch = (ending: string) =>
    new ProbeFailureError(
      'body',
      `response from ${target} did not match /${expected.source}/ ${ending}; received: "${excerpt(receivedText())}"`,
    );

  return run.step(
    waitingFor,
    'processing',
    () => {
      return new Promise<string>((resolve, reject) => {
        const finish = (settle: () => void) => {
          socket.off('data', onData).off('end', onEnd).off('close', onEnd).off('error', onError);
          settle();
        };
        const onData = (chunk: Buffer) => {
          chunks.push(chunk);
          received += chunk.length;
          const text = receivedText();
          if (expected.test(text)) finish(() => resolve(text));
          else if (received >= MAX_RESPONSE_BYTES) finish(() => reject(mismatch(`within ${MAX_RESPONSE_BYTES} bytes`)));
        };
        const onEnd = () => finish(() => reject(mismatch('before the connection closed')));
        const onError = (error: Error) =>
          finish(() => reject(ProbeFailureError.from(describeNetworkError(error, target))));
        socket.on('data', onData).on('end', onEnd).on('close', onEnd).on('error', onError);
        if (socket.destroyed || socket.readableEnded) onEnd();
      });
    },
    () => (received > 0 ? mismatch(`within ${run.timeoutMs} ms`) : undefined),
  );
}
