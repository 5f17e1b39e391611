// `vigil check-config`: loads and validates the three config files, the templating and the cross-references, and
// says how many checks they define or every problem found, one line each (`FILE:LINE:COL: PATH: message`). The
// notification channels are read from the environment too: a value there that no channel can use (a phone number
// that is not E.164) is a problem; a route to a channel that cannot deliver is a warning, since the others still do.

import path from 'node:path';

import { loadFormatted } from '../app.js';
import { channelRegistryFromEnv, formatEnvProblem } from '../delivery/channel-registry.js';
import { routeWarnings } from '../delivery/route-warnings.js';
import { createLogger } from '../log.js';

export type ConfigCheck = { ok: true; checkCount: number; warnings: string[] } | { ok: false; problems: string[] };

/** Where a problem found in the environment says it was found, in place of a file. */
const ENVIRONMENT = 'environment';

export function checkConfig(configDir: string, env: Record<string, string | undefined>): ConfigCheck {
  const loaded = loadFormatted(configDir, env);
  if (!loaded.ok) return loaded;
  const { notifications } = loaded.config.settings;
  // Nothing is sent from here, so the console channel's log goes nowhere.
  const channels = channelRegistryFromEnv(env, notifications, { logger: createLogger('silent') });
  if (channels.problems.length > 0)
    return { ok: false, problems: channels.problems.map((problem) => `${ENVIRONMENT}: ${formatEnvProblem(problem)}`) };
  const file = path.join(configDir, 'config.yml');
  return {
    ok: true,
    checkCount: loaded.config.checks.length,
    warnings: routeWarnings(notifications, channels).map((warning) => `${file}: ${warning}`),
  };
}
