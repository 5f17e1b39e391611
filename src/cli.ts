#!/usr/bin/env node
// The `vigil` command: parses arguments, calls into the app, prints, sets the exit code. Nothing else.

import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadFormatted } from './app.js';
import { checkConfig } from './commands/check-config.js';
import { formatJsonLine, formatTable, probeOnce, selectChecks } from './commands/probe-once.js';
import { serve, type ServeOptions } from './commands/serve.js';
import { parseListenAddress } from './config/index.js';
import type { ListenAddress } from './config/types.js';
import { resolveSecretFiles, SecretFileError } from './secret-files.js';

const USAGE = `Usage: vigil <command> [options]

Commands:
  start                 prober + status page + Alertmanager receiver in one process
  prober                the prober role alone (metrics, API, status page)
  receiver              the Alertmanager webhook receiver alone
  check-config          validate config/checks.yml, config.yml and status-page.yml
  probe --once          run the checks once now and print the results; stores nothing

Options:
  --config-dir DIR        configuration directory (default: config/)
  --data-dir DIR          data directory (default: data/)
  --prober-listen H:P     prober HTTP address (default: 0.0.0.0:9470, or config.yml server.prober_listen)
  --receiver-listen H:P   receiver HTTP address (default: 0.0.0.0:9471)
  --demo                  (start, prober) also serve the demo target the shipped checks probe
  --demo-listen H:P       demo target address (default: 127.0.0.1:9479)
  --check ID              (probe) only this check
  --json                  (probe) JSON lines instead of a table
  -h, --help              this help
`;

const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_CONFIG = 2;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'config-dir': { type: 'string', default: 'config' },
      'data-dir': { type: 'string' },
      'prober-listen': { type: 'string' },
      'receiver-listen': { type: 'string' },
      demo: { type: 'boolean', default: false },
      'demo-listen': { type: 'string', default: '127.0.0.1:9479' },
      once: { type: 'boolean', default: false },
      check: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const command = positionals[0];
  if (values.help || !command) {
    process.stdout.write(USAGE);
    return command || values.help ? EXIT_OK : EXIT_CONFIG;
  }
  const configDir = values['config-dir'];
  const env = resolveSecretFiles(process.env);

  switch (command) {
    case 'check-config': {
      const checked = checkConfig(configDir, env);
      if (checked.ok) {
        if (checked.warnings.length > 0) process.stderr.write(`${checked.warnings.join('\n')}\n`);
        process.stdout.write(`${path.join(configDir)}: valid, ${checked.checkCount} checks\n`);
        return EXIT_OK;
      }
      process.stderr.write(`${checked.problems.join('\n')}\n`);
      return EXIT_FAILED;
    }
    case 'probe': {
      if (!values.once) return usageError('probe needs --once (scheduled probing is `vigil prober`)');
      const loaded = loadFormatted(configDir, env);
      if (!loaded.ok) {
        process.stderr.write(`${loaded.problems.join('\n')}\n`);
        return EXIT_CONFIG;
      }
      const checks = selectChecks(loaded.config.checks, values.check);
      if (!checks)
        return usageError(`unknown check \`${values.check}\` (not in ${path.join(configDir, 'checks.yml')})`);
      const results = await probeOnce(checks, loaded.config.settings.prober.maxConcurrency);
      if (values.json) process.stdout.write(results.map((result) => `${formatJsonLine(result)}\n`).join(''));
      else process.stdout.write(`${formatTable(results)}\n`);
      return results.every((result) => result.status === 'healthy') ? EXIT_OK : EXIT_FAILED;
    }
    case 'start':
    case 'prober':
    case 'receiver':
      return serveExitCode({
        configDir,
        env,
        roles: command === 'start' ? ['prober', 'receiver'] : [command],
        dataDir: values['data-dir'],
        proberListen: listenFlag(values['prober-listen'], '--prober-listen'),
        receiverListen: listenFlag(values['receiver-listen'], '--receiver-listen'),
        demoListen: values.demo ? listenFlag(values['demo-listen'], '--demo-listen') : undefined,
      });
    default:
      return usageError(`unknown command \`${command}\``);
  }
}

/** Runs the roles until a signal and turns how that ended into output and an exit code. */
async function serveExitCode(options: ServeOptions): Promise<number> {
  const outcome = await serve(options);
  if (outcome.kind === 'stopped') return EXIT_OK;
  if (outcome.kind === 'config-invalid') process.stderr.write(`${outcome.problems.join('\n')}\n`);
  else process.stderr.write(`vigil: ${outcome.message}\n`);
  return EXIT_FAILED;
}

function listenFlag(text: string | undefined, flag: string): ListenAddress | undefined {
  if (text === undefined) return undefined;
  const address = parseListenAddress(text);
  if (!address) throw new UsageError(`${flag}: expected HOST:PORT, got \`${text}\``);
  return address;
}

class UsageError extends Error {}

function usageError(message: string): number {
  process.stderr.write(`vigil: ${message}\n`);
  return EXIT_CONFIG;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (
      error instanceof UsageError ||
      error instanceof SecretFileError ||
      (error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))
    ) {
      process.exitCode = usageError(error.message);
      return;
    }
    process.stderr.write(`vigil: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = EXIT_FAILED;
  },
);
