// `vigil start`, `vigil prober`, `vigil receiver`: runs the long-lived roles (and, with --demo, the demo target the
// shipped checks probe) until SIGTERM or SIGINT, then drains and stops them; SIGHUP reloads the configuration.

import { App, ConfigInvalidError, type Role } from '../app.js';
import type { ListenAddress } from '../config/types.js';
import { startDemoTarget, type DemoTarget } from '../demo/demo-target.js';
import { tuneGarbageCollector } from '../gc-tuning.js';
import { createLogger, type LogFormat, type Logger } from '../log.js';

export interface ServeOptions {
  configDir: string;
  env: Record<string, string | undefined>;
  roles: Role[];
  dataDir: string | undefined;
  proberListen: ListenAddress | undefined;
  receiverListen: ListenAddress | undefined;
  demoListen: ListenAddress | undefined;
  /** Default: text on a terminal, JSON lines otherwise. */
  logFormat?: LogFormat | undefined;
  /** More processes run beside the roles once they listen (`vigil stack`: Prometheus and Alertmanager). */
  companion?: (app: App, logger: Logger) => Promise<Companion>;
}

/** Processes started beside the roles: stopped before them, and their own exit stops the whole run. */
export interface Companion {
  /** Settles, with what happened, when a companion process ends on its own. */
  exited: Promise<string>;
  close(): Promise<void>;
}

/** How a run ended: stopped by a signal, or never started (invalid config, or a store or address that failed). */
export type ServeOutcome =
  | { kind: 'stopped' }
  | { kind: 'config-invalid'; problems: string[] }
  | { kind: 'start-failed'; message: string }
  | { kind: 'companion-exited'; message: string };

export async function serve(options: ServeOptions): Promise<ServeOutcome> {
  // Listened for from the first moment: a Ctrl-C while the roles or the companions start waits for the start to
  // finish, then stops everything as usual, rather than killing the process and orphaning what it started.
  const stopRequested = stopSignal();
  try {
    return await run(options, stopRequested.signal);
  } finally {
    stopRequested.dispose();
  }
}

/** The first SIGTERM or SIGINT; a second one finds no listener and ends the process at once, as usual. */
function stopSignal(): { signal: Promise<NodeJS.Signals>; dispose(): void } {
  let received: (signal: NodeJS.Signals) => void = () => {};
  const signal = new Promise<NodeJS.Signals>((resolve) => (received = resolve));
  const onTerm = (): void => received('SIGTERM');
  const onInt = (): void => received('SIGINT');
  process.once('SIGTERM', onTerm);
  process.once('SIGINT', onInt);
  return {
    signal,
    dispose: () => {
      process.off('SIGTERM', onTerm);
      process.off('SIGINT', onInt);
    },
  };
}

async function run(options: ServeOptions, stopRequested: Promise<NodeJS.Signals>): Promise<ServeOutcome> {
  tuneGarbageCollector();
  const logger = createLogger(options.logFormat === undefined ? {} : { format: options.logFormat });
  let demo: DemoTarget | undefined;
  if (options.demoListen) {
    demo = await startDemoTarget(options.demoListen);
    options.env['DEMO_TARGET_URL'] ??= demo.url;
    logger.info({ url: demo.url }, 'demo target listening');
  }
  let app: App;
  try {
    app = await App.start({
      configDir: options.configDir,
      env: options.env,
      logger,
      roles: options.roles,
      ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
      ...(options.proberListen ? { proberListen: options.proberListen } : {}),
      ...(options.receiverListen ? { receiverListen: options.receiverListen } : {}),
    });
  } catch (error) {
    await demo?.close();
    if (error instanceof ConfigInvalidError) return { kind: 'config-invalid', problems: error.problems };
    // The store or a listen address failed: the message names the setting; the stack is in the log.
    logger.error({ err: error }, 'could not start');
    return { kind: 'start-failed', message: error instanceof Error ? error.message : String(error) };
  }
  let companion: Companion | undefined;
  try {
    companion = await options.companion?.(app, logger);
  } catch (error) {
    await app.close();
    await demo?.close();
    return { kind: 'start-failed', message: error instanceof Error ? error.message : String(error) };
  }
  process.on('SIGHUP', () => void app.reload());
  const ended = await new Promise<{ signal: NodeJS.Signals } | { companionExited: string }>((resolve) => {
    void stopRequested.then((signal) => resolve({ signal }));
    void companion?.exited.then((message) => resolve({ companionExited: message }));
  });
  logger.info(ended, 'shutting down');
  await companion?.close();
  await app.close();
  await demo?.close();
  logger.info('stopped');
  return 'signal' in ended ? { kind: 'stopped' } : { kind: 'companion-exited', message: ended.companionExited };
}
