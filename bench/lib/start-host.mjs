// Runs Vigil the way `vigil start` does (App.start with the prober and the receiver on one SQLite store, both HTTP
// servers on 127.0.0.1) in a child process whose CPU the benchmark reads from /proc: what a receiver that diagnoses
// from the store it shares with the prober costs.
// IPC (lib/common.mjs startWorker): sends { ready: { port } } (the receiver's) once both listen.
//
//   start-host.mjs CONFIG_DIR DATA_DIR '{"env": {...}}'

import { pino } from 'pino';
import { exitWhenStopped } from './common.mjs';

const [configDir, dataDir, options] = process.argv.slice(2);
const { App } = await import('../../dist/app.js');
const app = await App.start({
  configDir,
  dataDir,
  env: JSON.parse(options).env,
  logger: pino({ level: 'warn' }, pino.destination(2)),
  roles: ['prober', 'receiver'],
  proberListen: { host: '127.0.0.1', port: 0 },
  receiverListen: { host: '127.0.0.1', port: 0 },
});
process.send({ ready: { port: app.receiver.address.port } });

exitWhenStopped(() => app.close());
