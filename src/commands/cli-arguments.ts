// The CLI's words for arguments it cannot use: an unknown option or command names what was probably meant and points
// to the help, where Node's own parser would say `Unknown option '--confg-dir'. To specify a positional argument
// starting with a '-', place it at the end of the command after '--', as in '-- "--confg-dir"`.

import { closestName } from '../config/did-you-mean.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
}

export const SEE_HELP = 'see `vigil --help`';

/** The first option in `argv` that `options` does not know, worded for the user; undefined when all are known. */
export function unknownOption(
  argv: readonly string[],
  options: Readonly<Record<string, OptionSpec>>,
): string | undefined {
  const shorts = new Map(Object.entries(options).flatMap(([name, spec]) => (spec.short ? [[spec.short, name]] : [])));
  for (let index = 0; index < argv.length; index++) {
    const token = argv[index] ?? '';
    if (token === '--') return undefined;
    if (token.startsWith('--')) {
      const name = token.slice(2).split('=')[0] ?? '';
      const spec = options[name];
      if (!spec) return unknownText(`--${name}`, closestName(name, Object.keys(options)), '--');
      // A string option's value is the next argument unless written `--name=value`.
      if (spec.type === 'string' && !token.includes('=')) index++;
      continue;
    }
    if (token.startsWith('-') && token.length > 1) {
      const letter = token.slice(1, 2);
      const name = shorts.get(letter);
      if (name === undefined) return unknownText(token, closestName(token.slice(1), Object.keys(options)), '--');
      if (options[name]?.type === 'string' && token.length === 2) index++;
    }
  }
  return undefined;
}

/** `unknown command \`strat\`; did you mean \`start\`? (see \`vigil --help\`)`. */
export function unknownCommand(command: string, commands: readonly string[]): string {
  return unknownText(command, closestName(command, commands), '', 'command');
}

function unknownText(given: string, meant: string | undefined, prefix: string, what = 'option'): string {
  const hint = meant === undefined ? '' : `; did you mean \`${prefix}${meant}\`?`;
  return `unknown ${what} \`${given}\`${hint} (${SEE_HELP})`;
}

/** Node's parse errors (a missing value, a value given to a flag), ended with the pointer to the help. */
export function parseErrorText(message: string): string {
  return `${message.replace(/\.$/, '')} (${SEE_HELP})`;
}
