// `vigil check-config`: loads and validates the three config files, the templating and the cross-references, and
// says how many checks they define or every problem found, one line each (`FILE:LINE:COL: PATH: message`).

import { loadFormatted } from '../app.js';

export type ConfigCheck = { ok: true; checkCount: number } | { ok: false; problems: string[] };

export function checkConfig(configDir: string, env: Record<string, string | undefined>): ConfigCheck {
  const loaded = loadFormatted(configDir, env);
  return loaded.ok ? { ok: true, checkCount: loaded.config.checks.length } : loaded;
}
