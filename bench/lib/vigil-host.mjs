// Runs a Vigil prober the way `vigil prober` does (the same V8 tuning, App.start with the prober role, its SQLite
// store, its HTTP server on 127.0.0.1) in a child process whose whole CPU and memory the benchmark reads from /proc.
// IPC: sends { ready: { port } }; answers { ask: 'stats' } with the probe thread's scheduler statistics (start lag
// histogram, probes started, runs skipped), asked of the probe thread directly: the `vigil_prober_*` metrics carry
// the same figures, but only as of the last batch of results.
//
//   vigil-host.mjs CONFIG_DIR DATA_DIR

import { pino } from 'pino';
import { exitWhenStopped } from './common.mjs';

const [configDir, dataDir] = process.argv.slice(2);
const [{ App }, { tuneGarbageCollector }] = await Promise.all([
  import('../../dist/app.js'),
  import('../../dist/gc-tuning.js'),
]);

tuneGarbageCollector();

const app = await App.start({
  configDir,
  dataDir,
  env: {},
  logger: pino({ level: 'warn' }, pino.destination(2)),
  roles: ['prober'],
  proberListen: { host: '127.0.0.1', port: 0 },
});
const prober = app.prober;

process.send({ ready: { port: prober.address.port } });
process.on('message', async (message) => {
  // `thread` is private in TypeScript only; see the header.
  if (message.ask === 'stats') process.send({ id: message.id, answer: await prober.thread.stats() });
});

exitWhenStopped(() => app.close());
