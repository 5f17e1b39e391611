// Starts a Vigil receiver the way `vigil receiver` does (config loaded from files, `ReceiverRole` with its own SQLite
// store in the directory, its HTTP server on 127.0.0.1, port 0), for a benchmark's server process. The caller gives
// config.yml's text and the environment the role reads (tokens, channel credentials); checks.yml holds one check.

import { writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Answers the port and a close(); `dir` holds the config files and, under `data/`, the store. */
export async function serveReceiver(dir, { env, configYml = '' }) {
  const [{ loadConfig, formatProblem }, { ReceiverRole }, { pino }] = await Promise.all([
    import('../../dist/config/index.js'),
    import('../../dist/receiver-role.js'),
    import('pino'),
  ]);
  await writeFile(path.join(dir, 'checks.yml'), 'checks:\n  - {id: bench, endpoint: {url: "http://127.0.0.1:9/"}}\n');
  await writeFile(path.join(dir, 'config.yml'), configYml);
  const loaded = loadConfig({ configDir: dir, env });
  if (!loaded.ok) throw new Error(loaded.problems.map(formatProblem).join('\n'));
  const role = await ReceiverRole.start({
    config: loaded.config,
    env,
    logger: pino({ level: 'warn' }, pino.destination(2)),
    listen: { host: '127.0.0.1', port: 0 },
    dataDir: path.join(dir, 'data'),
  });
  return { port: role.address.port, close: () => role.close() };
}

/** config.yml sending every critical group to the given channels (`{slack: {}, email: {}}`), nothing else. */
export function criticalRouteConfig(channels) {
  const targets = channels.map((channel) => `${channel}: {}`).join(', ');
  return `notifications:\n  routes:\n    - match: {severity: critical}\n      channels: {${targets}}\n`;
}
