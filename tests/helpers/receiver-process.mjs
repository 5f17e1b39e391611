// Stand-in for `vigil receiver` until the CLI has the command: starts the receiver role from the built dist/ with
// the same flags (--config-dir, --data-dir, --receiver-listen), logs JSON to stdout, stops on SIGTERM/SIGINT.
// Plain ESM so it runs with `node` alone. Once `vigil receiver` exists, tests should spawn dist/cli.js instead.

import { parseArgs } from 'node:util';
import { formatProblem, loadConfig, parseListenAddress } from '../../dist/config/index.js';
import { createLogger } from '../../dist/log.js';
import { ReceiverRole } from '../../dist/receiver-role.js';

const { values } = parseArgs({
  options: {
    'config-dir': { type: 'string', default: 'config' },
    'data-dir': { type: 'string' },
    'receiver-listen': { type: 'string' },
  },
});

const loaded = loadConfig({ configDir: values['config-dir'], env: process.env });
if (!loaded.ok) {
  process.stderr.write(`${loaded.problems.map(formatProblem).join('\n')}\n`);
  process.exit(1);
}
const listen = values['receiver-listen'] === undefined ? undefined : parseListenAddress(values['receiver-listen']);
const logger = createLogger();
const role = await ReceiverRole.start({
  config: loaded.config,
  env: process.env,
  logger,
  ...(listen === undefined ? {} : { listen }),
  ...(values['data-dir'] === undefined ? {} : { dataDir: values['data-dir'] }),
});
const signal = await new Promise((resolve) => {
  process.once('SIGTERM', () => resolve('SIGTERM'));
  process.once('SIGINT', () => resolve('SIGINT'));
});
logger.info({ signal }, 'shutting down');
await role.close();
