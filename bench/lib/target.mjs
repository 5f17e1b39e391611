// The probed target of the benchmarks: a plain node:http server on 127.0.0.1 that answers 200 "ok", after
// `--delay MS` when given (a timer, so the answer time is exact to the timer's precision), and counts requests.
// IPC: sends { ready: { port } }; answers { ask: 'count' } with the number of requests answered so far.

import { createServer } from 'node:http';

const delayArg = process.argv.indexOf('--delay');
const delayMs = delayArg >= 0 ? Number(process.argv[delayArg + 1]) : 0;
let answered = 0;

const answer = (res) => {
  answered++;
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 2 });
  res.end('ok');
};

const server = createServer((req, res) => {
  req.resume();
  if (delayMs > 0) setTimeout(answer, delayMs, res);
  else answer(res);
});
server.keepAliveTimeout = 1_000;
server.listen(0, '127.0.0.1', () => process.send({ ready: { port: server.address().port } }));
process.on('message', (message) => {
  if (message.ask === 'count') process.send({ id: message.id, answer: answered });
});
process.once('SIGTERM', () => process.exit(0));
process.once('disconnect', () => process.exit(0));
