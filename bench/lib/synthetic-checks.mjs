// Check definitions and a deterministic random source for the benchmarks that feed the prober's metrics directly
// (no probe runs): the same checks in every run, so figures compare across runs.

/** A small deterministic PRNG, so every run renders the same numbers. */
export function random(seed) {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state / 2 ** 32;
  };
}

/** `count` HTTP check definitions spread over 20 groups, 50 components and 100 services. */
export function makeChecks(count, intervalMs = 30_000) {
  return Array.from({ length: count }, (_, i) => ({
    id: `check_${i}`,
    name: `Check number ${i}`,
    group: `group_${i % 20}`,
    component: `component_${i % 50}`,
    service: `service_${i % 100}`,
    type: 'http',
    url: 'http://127.0.0.1/',
    method: 'GET',
    intervalMs,
    timeoutMs: 5_000,
    enabled: true,
    failureThreshold: 1,
    performance: { targetMs: 200, warnMs: 300, criticalMs: 500 },
  }));
}
