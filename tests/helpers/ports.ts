// Ports chosen up front, for the few cases where a test cannot let the system choose with port 0: servers that cannot
// bind port 0 and report it (PostgreSQL, redis-server), a port a config must name before the process starts, and
// targets that must refuse connections. They come from below the kernel's ephemeral range: ports inside it go to
// every outgoing socket and every port-0 bind, and stay in TIME_WAIT after a probe flood, so a port picked there can
// be taken before it is used (or a probe's own socket can end up connected to itself). A port outside it can still
// be taken by another process, so a server started on one is retried on another when its bind fails.

import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

const HOST = '127.0.0.1';
/** Above the ports of well-known local services (5432, 6379, 8080, 9090...). */
const LOWEST_PORT = 20_000;
const PICK_ATTEMPTS = 50;
const START_ATTEMPTS = 5;
const PORT_TAKEN = /EADDRINUSE|address already in use|could not bind|could not create any TCP\/IP sockets/i;

/** The highest port below the ephemeral range (net.ipv4.ip_local_port_range; Linux's default starts at 32768). */
function highestPort(): number {
  let ephemeralStart = 32_768;
  try {
    ephemeralStart = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
  } catch {
    // Not Linux: keep the default.
  }
  if (!(ephemeralStart > LOWEST_PORT + 1_000)) {
    throw new Error(`the ephemeral port range starts at ${ephemeralStart}: no room below it for test ports`);
  }
  return ephemeralStart - 1;
}

/** A port on 127.0.0.1, below the ephemeral range, that nothing holds right now for the given protocol. */
export async function unusedPort(protocol: 'tcp' | 'udp' = 'tcp'): Promise<number> {
  const highest = highestPort();
  for (let attempt = 1; attempt <= PICK_ATTEMPTS; attempt += 1) {
    const port = LOWEST_PORT + Math.floor(Math.random() * (highest - LOWEST_PORT + 1));
    if (await canBind(port, protocol)) return port;
  }
  throw new Error(`no unused ${protocol} port found in ${LOWEST_PORT}-${highest} after ${PICK_ATTEMPTS} tries`);
}

/**
 * Runs `start` on an unused port, and again on another one while it fails because the port was taken in between
 * (its error message says so: EADDRINUSE, "address already in use", PostgreSQL's "could not bind").
 */
export async function onUnusedPort<T>(start: (port: number) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await start(await unusedPort());
    } catch (error) {
      if (attempt >= START_ATTEMPTS || !PORT_TAKEN.test(String(error))) throw error;
    }
  }
}

async function canBind(port: number, protocol: 'tcp' | 'udp'): Promise<boolean> {
  return new Promise((resolve) => {
    if (protocol === 'udp') {
      const socket = createSocket('udp4');
      socket.once('error', () => resolve(false));
      socket.bind(port, HOST, () => socket.close(() => resolve(true)));
      return;
    }
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, HOST, () => server.close(() => resolve(true)));
  });
}
