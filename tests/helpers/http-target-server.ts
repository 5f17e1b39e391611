// A real HTTP(S) server on 127.0.0.1 with one endpoint per behaviour a probe must judge: healthy JSON, slow (also
// staggered: each request slower than the one before), hanging, any status, wrong or malformed JSON, redirect loops and chains, an endless body, extra headers, plain text and an
// echo of the request. Shared by every suite that needs an HTTP target.

import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface HttpTarget {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:43121 */
  url: string;
  port: number;
  /** TCP connections accepted since start; shows whether a client reused a connection. */
  acceptedConnections(): number;
  /** Connections open right now; 0 once every client has hung up. */
  openConnections(): Promise<number>;
  /** Stops the server, ends hanging and endless responses and destroys every open socket. */
  close(): Promise<void>;
}

export interface HttpTargetOptions {
  /** Serve HTTPS with this key and certificate (PEM). */
  tls?: { key: string | Buffer; cert: string | Buffer };
}

const HEALTHY_JSON = JSON.stringify({ status: 'ok', version: '1.2.3' });
const ENDLESS_CHUNK = Buffer.alloc(64 * 1024, 'x');

interface TargetState {
  timers: Set<NodeJS.Timeout>;
  /** Requests to /slow/staggered so far; the n-th waits n × step. */
  staggered: number;
}

export async function startHttpTarget(options: HttpTargetOptions = {}): Promise<HttpTarget> {
  const state: TargetState = { timers: new Set(), staggered: 0 };
  const handler = (request: IncomingMessage, response: ServerResponse): void => route(request, response, state);
  const server: Server = options.tls ? createHttpsServer(options.tls, handler) : createHttpServer(handler);
  let accepted = 0;
  server.on('connection', () => {
    accepted += 1;
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    acceptedConnections: () => accepted,
    openConnections: () =>
      new Promise((resolve, reject) =>
        server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
      ),
    close: async () => {
      for (const timer of state.timers) clearTimeout(timer);
      state.timers.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

function route(request: IncomingMessage, response: ServerResponse, state: TargetState): void {
  const url = new URL(request.url ?? '/', 'http://target');
  const path = url.pathname;
  const statusMatch = /^\/status\/(\d{3})$/.exec(path);
  if (statusMatch) return sendText(response, Number(statusMatch[1]), `status ${statusMatch[1]}\n`);

  switch (path) {
    case '/ok':
      return sendJson(response, HEALTHY_JSON);
    case '/slow':
      return later(state, Number(url.searchParams.get('ms') ?? 300), () => sendJson(response, HEALTHY_JSON));
    case '/slow/staggered': {
      const delay = state.staggered * Number(url.searchParams.get('step') ?? 100);
      state.staggered += 1;
      return later(state, delay, () => sendJson(response, HEALTHY_JSON));
    }
    case '/hang':
      return; // Never answers; close() destroys the socket.
    case '/json/wrong':
      return sendJson(response, JSON.stringify({ status: 'degraded' }));
    case '/json/malformed':
      return sendJson(response, '{"status": "ok", "version": ');
    case '/redirect/loop-a':
      return redirect(response, '/redirect/loop-b');
    case '/redirect/loop-b':
      return redirect(response, '/redirect/loop-a');
    case '/redirect/chain': {
      const remaining = Number(url.searchParams.get('n') ?? 3);
      return redirect(response, remaining <= 1 ? '/ok' : `/redirect/chain?n=${remaining - 1}`);
    }
    case '/endless':
      return streamForever(response);
    case '/headers/with-powered-by':
      response.setHeader('x-powered-by', 'Express');
      return sendJson(response, HEALTHY_JSON);
    case '/text':
      return sendText(response, 200, 'hello from the vigil test target\n');
    case '/echo':
      return echo(request, response);
    default:
      return sendText(response, 404, 'not found\n');
  }
}

function later(state: TargetState, ms: number, action: () => void): void {
  const timer = setTimeout(() => {
    state.timers.delete(timer);
    action();
  }, ms);
  state.timers.add(timer);
}

function sendJson(response: ServerResponse, body: string): void {
  response.writeHead(200, { 'content-type': 'application/json' }).end(body);
}

function sendText(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(body);
}

function redirect(response: ServerResponse, location: string): void {
  response.writeHead(302, { location }).end();
}

/** Writes as fast as the client reads, and stops when the client goes away. */
function streamForever(response: ServerResponse): void {
  response.writeHead(200, { 'content-type': 'application/octet-stream' });
  let open = true;
  response.once('close', () => {
    open = false;
  });
  const pump = (): void => {
    while (open && response.write(ENDLESS_CHUNK));
    if (open) response.once('drain', pump);
  };
  pump();
}

/** Answers with the request as JSON: method, headers and body. */
function echo(request: IncomingMessage, response: ServerResponse): void {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    sendJson(response, JSON.stringify({ method: request.method, headers: request.headers, body }));
  });
}
