// A WebSocket server for tests (the `ws` package) on 127.0.0.1 with an OS-chosen port, plain or over TLS.
// Paths: /echo echoes every message; /greet sends "hello from vigil-test" on connect; /headers sends the upgrade
// request's headers as JSON on connect; /close closes (1000, "bye") on connect; /silent accepts and never
// answers; /forbidden refuses the upgrade with 403. Any other path is a 404 upgrade refusal.

import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';

export const GREETING = 'hello from vigil-test';

export interface WebsocketServerOptions {
  /** Serve wss:// with this PEM chain and key. */
  tls?: { cert: string; key: string };
}

export interface TestWebsocketServer {
  /** "ws://127.0.0.1:PORT" (or wss://), without a path. */
  url: string;
  port: number;
  /** WebSocket connections currently open. */
  openConnections(): number;
  close(): Promise<void>;
}

type Behaviour = (socket: WebSocket, request: IncomingMessage) => void;

const BEHAVIOURS: Record<string, Behaviour> = {
  '/echo': (socket) => socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary })),
  '/greet': (socket) => socket.send(GREETING),
  '/headers': (socket, request) => socket.send(JSON.stringify(request.headers)),
  '/close': (socket) => socket.close(1000, 'bye'),
  '/silent': () => {},
};

export async function startWebsocketServer(options: WebsocketServerOptions = {}): Promise<TestWebsocketServer> {
  const server: Server = options.tls ? createHttpsServer(options.tls) : createHttpServer();
  const sockets = new WebSocketServer({ noServer: true });
  server.on('upgrade', (request: IncomingMessage, stream: Duplex, head: Buffer) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const behaviour = BEHAVIOURS[path];
    if (!behaviour) {
      refuse(stream, path === '/forbidden' ? '403 Forbidden' : '404 Not Found');
      return;
    }
    sockets.handleUpgrade(request, stream, head, (socket) => {
      socket.on('error', () => {});
      behaviour(socket, request);
    });
  });
  // Clients that reject our certificate abort the handshake; that is the test's point, not a server error.
  server.on('tlsClientError', () => {});

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no TCP address');
  return {
    url: `${options.tls ? 'wss' : 'ws'}://127.0.0.1:${address.port}`,
    port: address.port,
    openConnections: () => sockets.clients.size,
    close: async () => {
      for (const socket of sockets.clients) socket.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function refuse(stream: Duplex, status: string): void {
  stream.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
