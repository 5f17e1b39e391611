// The one HTTP server every Vigil listener runs on (the prober, the receiver, the demo target): bounds on how slowly a
// client may send its request, keep-alive that outlives a scrape interval, the address it actually bound (port 0
// works), and a stop that lets requests in flight finish before the sockets are cut.

import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ListenAddress } from '../config/types.js';

export interface ServerTimeouts {
  /** A request's headers must have arrived this long after its first byte (a slowloris guard). */
  headersMs: number;
  /** The whole request, headers and body, must have arrived this long after its first byte. Sending the answer is not bounded. */
  requestMs: number;
  /** An idle keep-alive connection is closed after this long. */
  keepAliveMs: number;
  /** On stop, requests in flight get this long to finish before their connections are cut. */
  drainMs: number;
  /** How often the header and request deadlines are checked, so they are enforced within this much. */
  checkEveryMs: number;
}

/**
 * Headers arrive in one packet, and Alertmanager sends a whole notification in well under the request bound. The
 * keep-alive is longer than Prometheus's default scrape interval (1m) so one connection serves every scrape instead
 * of a new one each time; the drain is as long as a graceful stop may reasonably keep a terminal waiting.
 */
const DEFAULT_TIMEOUTS: ServerTimeouts = {
  headersMs: 10_000,
  requestMs: 30_000,
  keepAliveMs: 75_000,
  drainMs: 5_000,
  checkEveryMs: 1_000,
};

/** How often idle connections are closed while draining: a connection goes idle the moment its answer is sent. */
const DRAIN_POLL_MS = 25;

export interface HttpServer {
  /** The address actually bound (the real port when 0 was asked for). */
  readonly address: AddressInfo;
  /** A URL a local client can use: a wildcard host becomes 127.0.0.1. */
  readonly url: string;
  /** Stops accepting, lets requests in flight finish up to the drain deadline, then closes every connection. */
  stop(): Promise<void>;
}

export async function startHttpServer(
  handler: RequestListener,
  listen: ListenAddress,
  timeouts: Partial<ServerTimeouts> = {},
): Promise<HttpServer> {
  const bounds = { ...DEFAULT_TIMEOUTS, ...timeouts };
  const server = createServer(
    {
      headersTimeout: bounds.headersMs,
      requestTimeout: bounds.requestMs,
      keepAliveTimeout: bounds.keepAliveMs,
      connectionsCheckingInterval: bounds.checkEveryMs,
    },
    handler,
  );
  await listenOn(server, listen);
  const address = server.address() as AddressInfo;
  let stopped: Promise<void> | undefined;
  return {
    address,
    url: localUrl(listen.host, address.port),
    stop: () => (stopped ??= drain(server, bounds.drainMs)),
  };
}

function listenOn(server: Server, { host, port }: ListenAddress): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * server.close() alone waits for keep-alive connections to go away, which idle clients never do: idle connections
 * are closed now and again as each answer in flight is sent, and whatever is left is cut at the deadline.
 */
function drain(server: Server, drainMs: number): Promise<void> {
  return new Promise((resolve) => {
    const closeIdle = setInterval(() => server.closeIdleConnections(), DRAIN_POLL_MS);
    const deadline = setTimeout(() => server.closeAllConnections(), drainMs);
    server.close(() => {
      clearInterval(closeIdle);
      clearTimeout(deadline);
      resolve();
    });
    server.closeIdleConnections();
  });
}

/** The URL a client on this machine reaches a listen address at (the wildcard addresses by loopback). */
export function localUrl(host: string, port: number): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}
