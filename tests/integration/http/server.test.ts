// The shared HTTP server against real sockets: port 0, the header and request deadlines, the drain of requests in
// flight on stop, the deadline that cuts the ones that do not finish, and idle keep-alive connections closed on stop.

import { Agent, request, type RequestListener } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startHttpServer, type HttpServer, type ServerTimeouts } from '../../../src/http/server.js';

const LOCAL = { host: '127.0.0.1', port: 0 };

const servers: HttpServer[] = [];
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

async function start(handler: RequestListener, timeouts: Partial<ServerTimeouts> = {}): Promise<HttpServer> {
  const server = await startHttpServer(handler, LOCAL, timeouts);
  servers.push(server);
  return server;
}

const answerOk: RequestListener = (_req, res) => {
  res.end('ok');
};

/** A raw connection; resolves with everything the server sent once it closes the connection. */
function rawExchange(server: HttpServer, text: string): { closed: Promise<string>; socket: Socket } {
  const socket = connect(server.address.port, '127.0.0.1');
  sockets.push(socket);
  socket.write(text);
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
  const closed = new Promise<string>((resolve) => socket.on('close', () => resolve(received)));
  socket.on('error', () => {});
  return { closed, socket };
}

/** GET over the given agent; resolves with the status and body, rejects on a cut connection. */
function get(server: HttpServer, path: string, agent?: Agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.address.port, path, ...(agent ? { agent } : {}) }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('startHttpServer', () => {
  it('binds port 0 to a real port and reports a URL a local client can use', async () => {
    const server = await start(answerOk);
    expect(server.address.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.address.port}`);
    expect(await get(server, '/')).toEqual({ status: 200, body: 'ok' });
  });

  it('reports a wildcard host as 127.0.0.1', async () => {
    const server = await startHttpServer(answerOk, { host: '0.0.0.0', port: 0 });
    servers.push(server);
    expect(server.url).toBe(`http://127.0.0.1:${server.address.port}`);
  });

  it('rejects when the address is taken', async () => {
    const server = await start(answerOk);
    await expect(startHttpServer(answerOk, { host: '127.0.0.1', port: server.address.port })).rejects.toThrow(
      /EADDRINUSE/,
    );
  });

  it('answers 408 and closes a connection whose headers do not arrive in time', async () => {
    const server = await start(answerOk, { headersMs: 200, requestMs: 1_000, checkEveryMs: 50 });
    const started = Date.now();
    const { closed } = rawExchange(server, 'GET / HTTP/1.1\r\nHost: x\r\n');
    expect(await closed).toMatch(/^HTTP\/1\.1 408 /);
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('answers 408 and closes a connection whose body does not arrive in time', async () => {
    const server = await start(
      (req, res) => {
        req.resume();
        req.on('end', () => res.end('ok'));
      },
      { headersMs: 200, requestMs: 400, checkEveryMs: 50 },
    );
    const started = Date.now();
    const { closed } = rawExchange(server, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly part of it');
    expect(await closed).toMatch(/^HTTP\/1\.1 408 /);
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('keeps an idle connection open for the keep-alive time', async () => {
    const server = await start(answerOk, { keepAliveMs: 60_000 });
    const { socket } = rawExchange(server, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise<void>((resolve) => socket.once('data', () => resolve()));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(socket.destroyed).toBe(false);
    expect(socket.readyState).toBe('open');
  });
});

describe('HttpServer.stop', () => {
  it('lets a request in flight finish, then resolves well before the drain deadline', async () => {
    const server = await start((_req, res) => setTimeout(() => res.end('finished'), 300), { drainMs: 10_000 });
    const agent = new Agent({ keepAlive: true });
    const inFlight = get(server, '/', agent);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await server.stop();
    expect(await inFlight).toEqual({ status: 200, body: 'finished' });
    expect(Date.now() - started).toBeLessThan(2_000);
    agent.destroy();
  });

  it('refuses new connections once stopping', async () => {
    const server = await start((_req, res) => setTimeout(() => res.end('finished'), 300));
    const inFlight = get(server, '/');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const stopped = server.stop();
    await expect(get(server, '/')).rejects.toThrow(/ECONNREFUSED/);
    await Promise.all([inFlight, stopped]);
  });

  it('cuts a request that does not finish by the drain deadline', async () => {
    const server = await start(() => {}, { drainMs: 200 });
    const hanging = get(server, '/');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await server.stop();
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(Date.now() - started).toBeLessThan(2_000);
    await expect(hanging).rejects.toThrow(/socket hang up|ECONNRESET/);
  });

  it('closes idle keep-alive connections at once', async () => {
    const server = await start(answerOk, { keepAliveMs: 60_000, drainMs: 10_000 });
    const { socket, closed } = rawExchange(server, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise<void>((resolve) => socket.once('data', () => resolve()));
    const started = Date.now();
    await server.stop();
    await closed;
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('is safe to call twice', async () => {
    const server = await start(answerOk);
    await Promise.all([server.stop(), server.stop()]);
    await server.stop();
  });
});
