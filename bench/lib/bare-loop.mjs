// The floor for a Node prober: a bare loop that sends GET / at a fixed rate, each on a fresh connection (a new
// undici Client per probe, destroyed after the answer, as the goal names it), and does nothing with the
// answer. IPC: sends { ready: {} }; answers { ask: 'run', url, rate, seconds } when the run is over with
// { probes, ok, lag: { p50, p99, max } }, the lag being how late each probe started against its plan (ms).

import { Client } from 'undici';
import { pace, quantile } from './common.mjs';

async function probe(url) {
  const client = new Client(url.origin);
  try {
    const { statusCode, body } = await client.request({ path: url.pathname, method: 'GET' });
    await body.dump();
    return statusCode === 200;
  } catch {
    return false;
  } finally {
    await client.destroy();
  }
}

async function run({ url, rate, seconds }) {
  const target = new URL(url);
  const lags = [];
  const inFlight = new Set();
  let ok = 0;
  const probes = await pace(rate, seconds * 1000, (plannedAt) => {
    lags.push(performance.now() - plannedAt);
    const running = probe(target).then((success) => {
      if (success) ok++;
      inFlight.delete(running);
    });
    inFlight.add(running);
  });
  await Promise.all(inFlight);
  lags.sort((a, b) => a - b);
  return { probes, ok, lag: { p50: quantile(lags, 0.5), p99: quantile(lags, 0.99), max: lags.at(-1) } };
}

process.send({ ready: {} });
process.on('message', async (message) => {
  if (message.ask === 'run') process.send({ id: message.id, answer: await run(message) });
});
process.once('SIGTERM', () => process.exit(0));
process.once('disconnect', () => process.exit(0));
