// Runs a Vigil receiver (lib/receiver.mjs) in a child process whose CPU the benchmark reads from /proc.
// IPC (lib/common.mjs startWorker): sends { ready: { port } } once it listens; stops on SIGTERM or when the parent goes.
//
//   receiver-host.mjs DIR '{"env": {...}, "configYml": "..."}'

import { exitWhenStopped } from './common.mjs';
import { serveReceiver } from './receiver.mjs';

const [dir, options] = process.argv.slice(2);
const server = await serveReceiver(dir, JSON.parse(options));
process.send({ ready: { port: server.port } });

exitWhenStopped(() => server.close());
