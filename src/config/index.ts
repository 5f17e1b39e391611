// The config loader's public face: load and validate a config directory, print problems, parse the value formats
// other modules share with the config (durations, listen addresses).

export { parseListenAddress } from './address.js';
export { parseDuration } from './duration.js';
export { loadConfig, type LoadOptions, type LoadResult } from './load.js';
export { formatProblem } from './problems.js';
export { CHECK_TYPES } from './schema/check.js';
export type * from './types.js';
