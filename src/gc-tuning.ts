// How the Vigil process asks V8 to collect garbage. Vigil is a long-running daemon whose live heap is small and
// proportional to its checks (about 6 MB per 1,000), while it turns over a steady stream of garbage: results that
// live one interval, /metrics chunks, store rows. By default V8 lets the old generation grow to up to four times the
// live size before a full collection, so a prober with 10,000 checks sits at 400-700 MB of RSS for about 100 MB live
// (bench/RESULTS.md). A growth factor of 1.2 keeps it under 300 MB for a few percent more CPU. The flag given to
// node itself (`node --heap-growing-percent=N dist/cli.js ...`) wins; NODE_OPTIONS does not accept it.

import { setFlagsFromString } from 'node:v8';

const HEAP_GROWING_PERCENT = 20;

/** Call once, first thing: V8 reads the flag at every full collection, so it applies from the next one on. */
export function tuneGarbageCollector(): void {
  const given = process.execArgv.some((arg) => arg.startsWith('--heap-growing-percent'));
  if (!given) setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
