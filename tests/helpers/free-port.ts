// A TCP port on 127.0.0.1 that nothing listens on right now, for servers that cannot bind port 0 themselves
// (postgres, redis-server) and for "connection refused" targets. Another process may take it before the caller
// binds it, so server helpers retry with a fresh port when the bind fails.

import { createServer } from 'node:net';

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('listening on 127.0.0.1:0 gave no TCP port');
  return address.port;
}
