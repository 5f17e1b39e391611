// The console channel "sends" to the pino logger it is given: one info line with the channel, group, severity and
// text, and always answers `sent`.

import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { expect, it } from 'vitest';
import { createConsoleChannel } from '../../../src/notify/console/console-channel.js';
import { bigGroup } from '../../helpers/notification-fixtures.js';

it('logs the rendered text at info level and answers sent', async () => {
  const stream = new PassThrough();
  const lines: string[] = [];
  stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
  const channel = createConsoleChannel({ logger: pino({ level: 'info' }, stream) });

  const message = channel.render(bigGroup(3));
  const outcome = await channel.send(message, { signal: AbortSignal.timeout(1_000) });

  expect(outcome).toEqual({ kind: 'sent' });
  expect(channel.name).toBe('console');
  await new Promise((resolve) => setImmediate(resolve));
  expect(lines).toHaveLength(1);
  expect(JSON.parse(lines[0] ?? '')).toMatchObject({
    level: 30,
    msg: 'notification',
    channel: 'console',
    group: '{}:{alertname="CheckDown"}',
    severity: 'critical',
    text: message.text,
  });
  expect(message.text).toContain('FIRING CheckDown (critical): 3 alerts');
});
