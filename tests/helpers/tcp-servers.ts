// Small TCP and TLS servers for probe tests, all on 127.0.0.1 with an OS-chosen port: one that greets with a
// banner (and optionally hangs up), one that echoes, one that accepts and stays silent, and a TLS server. Each
// counts its connections so a test can see that a probe closed what it opened. (A refusing port: unusedPort() in ports.ts.)

import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { createSecureContext, createServer as createTlsServer } from 'node:tls';

export const BANNER = '220 vigil-test ready\r\n';

export interface TestTcpServer {
  host: string;
  port: number;
  /** Connections currently open on the server side. */
  openConnections(): number;
  /** Connections accepted so far. */
  acceptedConnections(): number;
  close(): Promise<void>;
}

/** Greets every connection with `banner`, then listens, or closes the connection with `hangUp`. */
export function startBannerServer(banner = BANNER, options: { hangUp?: boolean } = {}): Promise<TestTcpServer> {
  return listen(createNetServer((socket) => (options.hangUp ? socket.end(banner) : socket.write(banner))));
}

/** Writes back whatever it receives. */
export function startEchoServer(): Promise<TestTcpServer> {
  return listen(createNetServer((socket) => socket.pipe(socket)));
}

/** Accepts connections and never says anything; what it receives is discarded (so it notices the client leave). */
export function startSilentServer(): Promise<TestTcpServer> {
  return listen(createNetServer((socket) => socket.resume()));
}

export interface TlsServerOptions {
  /** PEM certificate chain to present. */
  cert: string;
  key: string;
  /** Written after the handshake; nothing when absent. */
  banner?: string;
}

export interface TestTlsServer extends TestTcpServer {
  /** The SNI names clients sent, in order (a client that sends none adds nothing). */
  serverNames(): string[];
}

/** A TLS server presenting the given chain; optionally greets after the handshake. */
export async function startTlsServer(options: TlsServerOptions): Promise<TestTlsServer> {
  const serverNames: string[] = [];
  const secureContext = createSecureContext({ cert: options.cert, key: options.key });
  const server = createTlsServer(
    {
      cert: options.cert,
      key: options.key,
      // Called during the ClientHello, so the name is seen even when the client hangs up right after the handshake.
      SNICallback: (serverName, callback) => {
        serverNames.push(serverName);
        callback(null, secureContext);
      },
    },
    (socket) => {
      if (options.banner !== undefined) socket.write(options.banner);
    },
  );
  // A client that rejects our certificate aborts the handshake; that is the test's point, not a server error.
  server.on('tlsClientError', () => {});
  return { ...(await listen(server)), serverNames: () => [...serverNames] };
}

async function listen(server: Server): Promise<TestTcpServer> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  // TLS servers hand out TLS sockets on 'secureConnection'; 'connection' sees every raw socket, TLS or not.
  server.on('connection', (socket: Socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no TCP address');
  return {
    host: '127.0.0.1',
    port: address.port,
    openConnections: () => sockets.size,
    acceptedConnections: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
