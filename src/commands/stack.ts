// `vigil stack`: the whole pipeline on one machine without Docker. The prober and the receiver run in this process,
// exactly as `vigil start` runs them (one store, one drain on shutdown, SIGHUP reloads both); Prometheus and
// Alertmanager, which are not Node programs, run as child processes from the PATH with the repo's prometheus/ and
// alertmanager/ configs rewritten for this run's addresses and data directory. SIGTERM or SIGINT stops Prometheus,
// then Alertmanager, then the roles; either server exiting on its own stops the rest and exits 1.

import { fileURLToPath } from 'node:url';
import type { ListenAddress } from '../config/types.js';
import { connectAddress, startStack, type StackOptions } from '../stack/stack.js';
import { findStackBinaries } from '../stack/binaries.js';

export { MissingBinaryError } from '../stack/binaries.js';
import { serve, type ServeOptions, type ServeOutcome } from './serve.js';

/** The repository (or installed package) root: prometheus/ and alertmanager/ are beside dist/ and src/. */
const PACKAGE_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export const DEFAULT_PROMETHEUS_LISTEN: ListenAddress = { host: '0.0.0.0', port: 9090 };
export const DEFAULT_ALERTMANAGER_LISTEN: ListenAddress = { host: '0.0.0.0', port: 9093 };

export interface StackCommandOptions extends Omit<ServeOptions, 'roles' | 'companion'> {
  prometheusListen: ListenAddress | undefined;
  alertmanagerListen: ListenAddress | undefined;
}

/** Throws MissingBinaryError (naming the Debian packages) before anything starts when a server is not installed. */
export async function runStack(options: StackCommandOptions): Promise<ServeOutcome> {
  const { env } = options;
  findStackBinaries(env['PATH']);
  const prometheusListen = options.prometheusListen ?? DEFAULT_PROMETHEUS_LISTEN;
  const alertmanagerListen = options.alertmanagerListen ?? DEFAULT_ALERTMANAGER_LISTEN;
  // Suppressing an alert through the admin API creates its silence in this stack's Alertmanager.
  env['ALERTMANAGER_URL'] ??= `http://${connectAddress(alertmanagerListen)}`;
  return serve({
    ...options,
    roles: ['prober', 'receiver'],
    companion: async (app, logger) => {
      const stackOptions: StackOptions = {
        prometheusDir: `${PACKAGE_ROOT}prometheus`,
        alertmanagerDir: `${PACKAGE_ROOT}alertmanager`,
        dataDir: app.dataDir,
        prometheusListen,
        alertmanagerListen,
        prober: { host: app.prober!.address.address, port: app.prober!.address.port },
        receiver: { host: app.receiver!.address.address, port: app.receiver!.address.port },
        webhookToken: env['VIGIL_WEBHOOK_TOKEN'],
        pathVariable: env['PATH'],
      };
      const stack = await startStack(stackOptions);
      logger.info(
        {
          prometheus: stack.prometheusUrl,
          prometheusPid: stack.prometheus.pid,
          alertmanager: stack.alertmanagerUrl,
          alertmanagerPid: stack.alertmanager.pid,
          configs: [stack.files.prometheusConfig, stack.files.alertmanagerConfig],
        },
        'stack running',
      );
      return {
        exited: stack.exited.then(
          (exit) =>
            `${exit.name} exited on its own (${exit.signal ?? `code ${exit.code}`}); its log is beside ` +
            `${stack.files.prometheusConfig}`,
        ),
        close: () => stack.close(),
      };
    },
  });
}
