// Wiring of a Vigil process: loads the configuration, opens the one store, starts the roles asked for (prober,
// receiver, or both for `vigil start`), reloads them together and stops them in order. Nothing here reaches a
// global; the CLI passes everything in.

import type { Logger } from 'pino';
import { formatProblem, loadConfig } from './config/index.js';
import type { ListenAddress, VigilConfig } from './config/types.js';
import type { ReloadOutcome } from './http/prober/app.js';
import { Prober } from './prober-role.js';
import { ReceiverRole } from './receiver-role.js';
import { openStore } from './store/open-store.js';
import type { Store } from './store/store.js';

export type Role = 'prober' | 'receiver';

export interface AppOptions {
  configDir: string;
  env: Record<string, string | undefined>;
  logger: Logger;
  roles: readonly Role[];
  /** Overrides config.yml's `data_dir` (the --data-dir flag). */
  dataDir?: string;
  proberListen?: ListenAddress;
  receiverListen?: ListenAddress;
}

export type LoadedConfig = { ok: true; config: VigilConfig } | { ok: false; problems: string[] };

export function loadFormatted(configDir: string, env: Record<string, string | undefined>): LoadedConfig {
  const result = loadConfig({ configDir, env });
  if (result.ok) return result;
  return { ok: false, problems: result.problems.map(formatProblem) };
}

export class ConfigInvalidError extends Error {
  constructor(readonly problems: string[]) {
    super(`configuration invalid:\n${problems.join('\n')}`);
  }
}

export class App {
  prober: Prober | undefined;
  receiver: ReceiverRole | undefined;

  private constructor(
    private readonly options: AppOptions,
    private readonly store: Store,
    private config: VigilConfig,
  ) {}

  /** Rejects with ConfigInvalidError when the configuration is invalid, or with the store's error. */
  static async start(options: AppOptions): Promise<App> {
    const loaded = loadFormatted(options.configDir, options.env);
    if (!loaded.ok) throw new ConfigInvalidError(loaded.problems);
    const { config } = loaded;
    const { env, logger } = options;
    const store = await openStore(config.settings.storage, options.dataDir ?? config.settings.dataDir, {
      logger,
      checkpointInBackground: options.roles.includes('receiver'),
    });
    const app = new App(options, store, config);
    try {
      if (options.roles.includes('prober')) {
        app.prober = await Prober.start({
          config,
          store,
          logger,
          adminToken: env['VIGIL_ADMIN_TOKEN'] || undefined,
          env,
          reload: () => app.reload(),
          ...(options.proberListen ? { listen: options.proberListen } : {}),
        });
      }
      if (options.roles.includes('receiver')) {
        app.receiver = await ReceiverRole.start({
          config,
          env,
          logger,
          store,
          storeSharedWithProber: options.roles.includes('prober'),
          ...(options.receiverListen ? { listen: options.receiverListen } : {}),
        });
      }
    } catch (error) {
      await app.close();
      throw error;
    }
    return app;
  }

  /** Where this process keeps its data: the --data-dir flag, else config.yml's `data_dir`. */
  get dataDir(): string {
    return this.options.dataDir ?? this.config.settings.dataDir;
  }

  /** Re-reads the configuration; an invalid one is refused and the running one kept. */
  async reload(): Promise<ReloadOutcome> {
    const { configDir, env, logger } = this.options;
    const loaded = loadFormatted(configDir, env);
    if (!loaded.ok) {
      logger.error({ problems: loaded.problems }, 'configuration refused, keeping the previous one');
      return { ok: false, problems: loaded.problems };
    }
    this.prober?.apply(loaded.config);
    this.receiver?.apply(loaded.config);
    if (restartSettingsChanged(this.config, loaded.config)) {
      logger.warn(
        'server, storage, receiver and alertmanager settings take effect at the next restart; the rest is reloaded',
      );
    }
    this.config = loaded.config;
    logger.info({ checks: loaded.config.checks.length }, 'configuration reloaded');
    return { ok: true, problems: [] };
  }

  async close(): Promise<void> {
    await this.prober?.close();
    await this.receiver?.close();
    await this.store.close();
  }
}

function restartSettingsChanged(before: VigilConfig, after: VigilConfig): boolean {
  const part = (config: VigilConfig): string =>
    JSON.stringify([
      config.settings.receiver,
      config.settings.alertmanager,
      config.settings.server,
      config.settings.storage,
    ]);
  return part(before) !== part(after);
}
