import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, textLine } from '../../src/log.js';

function capture(isTTY: boolean): { stream: Writable & { isTTY?: boolean }; lines: string[] } {
  const lines: string[] = [];
  const stream = Object.assign(
    new Writable({
      write(chunk: Buffer | string, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    }),
    { isTTY },
  );
  return { stream, lines };
}

describe('log format', () => {
  it('writes one readable line per entry to a terminal', () => {
    const { stream, lines } = capture(true);
    createLogger({ level: 'info', output: stream }).info(
      { address: '0.0.0.0:9470', store: 'sqlite' },
      'prober listening',
    );
    expect(lines.join('')).toMatch(/^\d\d:\d\d:\d\d INFO {2}prober listening address=0\.0\.0\.0:9470 store=sqlite\n$/);
  });

  it('writes JSON lines elsewhere, and text when asked', () => {
    const json = capture(false);
    createLogger({ level: 'info', output: json.stream }).warn({ check: 'a' }, 'slow');
    expect(JSON.parse(json.lines.join(''))).toMatchObject({ level: 40, msg: 'slow', check: 'a', app: 'vigil' });
    const text = capture(false);
    createLogger({ level: 'info', format: 'text', output: text.stream }).warn({ check: 'a' }, 'slow');
    expect(text.lines.join('')).toMatch(/ WARN {2}slow check=a\n$/);
  });

  it('quotes values with spaces and indents an error stack below its line', () => {
    const line = textLine(
      JSON.stringify({
        level: 50,
        time: '2026-12-04T10:42:00.000Z',
        msg: 'could not start',
        reason: 'address in use',
        err: { message: 'EADDRINUSE', stack: 'Error: EADDRINUSE\n    at listen' },
      }),
    );
    expect(line).toBe(
      '10:42:00 ERROR could not start reason="address in use" err=EADDRINUSE\n    Error: EADDRINUSE\n        at listen\n',
    );
  });
});
