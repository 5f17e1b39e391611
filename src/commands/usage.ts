// `vigil help COMMAND` and `vigil COMMAND --help`: one command's part of the general usage text, so that the usage
// stays the one place a command and its options are described. An option's description names the commands it is for
// in parentheses, `(probe)` or `(diagnose, report)`; one that names none is for every command.

import { readFileSync } from 'node:fs';

/** The commands the usage text lists, in its order. */
export function commandNames(usage: string): string[] {
  return section(usage, 'Commands:').flatMap((line) => {
    const name = /^\s+([a-z][a-z-]*)/.exec(line)?.[1];
    return name === undefined ? [] : [name];
  });
}

/** The usage of one command, or undefined when the usage text does not list it. */
export function commandUsage(usage: string, command: string): string | undefined {
  const line = section(usage, 'Commands:').find((candidate) => new RegExp(`^\\s+${command}(\\s|$)`).test(candidate));
  if (line === undefined) return undefined;
  const commands = commandNames(usage);
  const options = section(usage, 'Options:').filter((option) => isFor(option, command, commands));
  const [synopsis = command, summary = ''] = line.trim().split(/\s{2,}/);
  return `Usage: vigil ${synopsis} [options]\n\n  ${summary}\n\nOptions:\n${options.join('\n')}\n`;
}

/** Parentheses that list only command names are the option's commands; others are just words. */
function isFor(option: string, command: string, commands: readonly string[]): boolean {
  const tags = [...option.matchAll(/\(([a-z-]+(?:, [a-z-]+)*)\)/g)]
    .map((match) => match[1]?.split(', ') ?? [])
    .filter((names) => names.every((name) => commands.includes(name)));
  return tags.length === 0 || tags.some((names) => names.includes(command));
}

/** The indented lines under a heading, up to the next blank line. */
function section(usage: string, heading: string): string[] {
  const lines = usage.split('\n');
  const start = lines.indexOf(heading);
  if (start < 0) return [];
  const end = lines.findIndex((line, index) => index > start && line.trim() === '');
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

/** The version of the installed package, from its package.json (dist/commands/ → ../../package.json). */
export function vigilVersion(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  const version: unknown = (JSON.parse(text) as { version?: unknown }).version;
  return typeof version === 'string' ? version : 'unknown';
}
