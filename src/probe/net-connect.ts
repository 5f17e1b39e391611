// Timed building blocks shared by the tcp and tls probes: resolve a host name (dns phase) and open a TCP
// connection (connect phase). Every socket is handed to the run, which destroys it when the outcome is known.

import { lookup } from 'node:dns/promises';
import { isIP, Socket } from 'node:net';
import { describeLookupError, describeNetworkError } from './errors.js';
import { ProbeFailureError, type ProbeRun } from './net-run.js';

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** "host:port", with brackets around an IPv6 literal. */
export function formatTarget(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

/** The address to connect to; an IP literal is used as it is and takes no dns phase. */
export async function resolveAddress(run: ProbeRun, host: string): Promise<ResolvedAddress> {
  const family = isIP(host);
  if (family !== 0) return { address: host, family };
  return run.step(`DNS resolution of ${host}`, 'dns', async () => {
    try {
      return await lookup(host);
    } catch (error) {
      throw ProbeFailureError.from(describeLookupError(error, host));
    }
  });
}

/** Opens a TCP connection to an already-resolved address; `target` names it in messages. */
export function connectSocket(run: ProbeRun, address: ResolvedAddress, port: number, target: string): Promise<Socket> {
  const socket = new Socket();
  trackSocket(run, socket);
  return run.step(`TCP connection to ${target}`, 'connect', () => {
    return new Promise<Socket>((resolve, reject) => {
      const onError = (error: Error) => reject(ProbeFailureError.from(describeNetworkError(error, target)));
      socket.once('error', onError);
      socket.connect({ host: address.address, port, family: address.family }, () => {
        socket.off('error', onError);
        resolve(socket);
      });
    });
  });
}

/**
 * Hands a socket to the run for teardown. The permanent error listener keeps a late error (a reset after the
 * outcome was decided) from crashing the process; the step waiting on the socket has its own listener and reports.
 */
export function trackSocket(run: ProbeRun, socket: Socket): void {
  socket.on('error', () => {});
  run.onRelease(() => socket.destroy());
}
