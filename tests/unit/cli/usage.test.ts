import { describe, expect, it } from 'vitest';
import { unknownCommand, unknownOption } from '../../../src/commands/cli-arguments.js';
import { commandNames, commandUsage } from '../../../src/commands/usage.js';

const USAGE = `Usage: vigil <command> [options]

Commands:
  start                 prober and receiver
  probe --once          run the checks once
  report                uptime per service

Options:
  --config-dir DIR        configuration directory (default: config/)
  --demo                  (start) also serve the demo target
  --json                  (probe) JSON lines; (report) one JSON object
  -h, --help              this help
`;

const OPTIONS = {
  'config-dir': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

describe('usage of one command', () => {
  it('lists the commands', () => {
    expect(commandNames(USAGE)).toEqual(['start', 'probe', 'report']);
  });

  it("shows a command's line and the options for it or for every command", () => {
    expect(commandUsage(USAGE, 'probe')).toBe(
      'Usage: vigil probe --once [options]\n\n  run the checks once\n\nOptions:\n' +
        '  --config-dir DIR        configuration directory (default: config/)\n' +
        '  --json                  (probe) JSON lines; (report) one JSON object\n' +
        '  -h, --help              this help\n',
    );
    expect(commandUsage(USAGE, 'start')).toContain('--demo');
    expect(commandUsage(USAGE, 'report')).not.toContain('--demo');
    expect(commandUsage(USAGE, 'stop')).toBeUndefined();
  });
});

describe('unknown arguments', () => {
  it('names the unknown option and the one probably meant', () => {
    expect(unknownOption(['start', '--confg-dir', 'x'], OPTIONS)).toBe(
      'unknown option `--confg-dir`; did you mean `--config-dir`? (see `vigil --help`)',
    );
    expect(unknownOption(['start', '--frobnicate'], OPTIONS)).toBe(
      'unknown option `--frobnicate` (see `vigil --help`)',
    );
    expect(unknownOption(['-x'], OPTIONS)).toBe('unknown option `-x` (see `vigil --help`)');
  });

  it("accepts known options, a string option's value and everything after --", () => {
    expect(unknownOption(['--config-dir', '--weird-dir-name', '-h', '--json', '--', '--any'], OPTIONS)).toBeUndefined();
    expect(unknownOption(['--config-dir=dir', '--json'], OPTIONS)).toBeUndefined();
  });

  it('suggests the command probably meant', () => {
    expect(unknownCommand('strat', ['start', 'prober'])).toBe(
      'unknown command `strat`; did you mean `start`? (see `vigil --help`)',
    );
  });
});
