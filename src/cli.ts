#!/usr/bin/env node
// The `vigil` command: parses arguments, calls into the app, prints, sets the exit code. Nothing else.

import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadFormatted } from './app.js';
import { checkConfig } from './commands/check-config.js';
import { diagnoseCheck, diagnosisJson, diagnosisText, unknownCheck } from './commands/diagnose.js';
import {
  demoTargetNote,
  formatJsonLine,
  formatTable,
  probeOnce,
  selectChecks,
  withDemoTarget,
} from './commands/probe-once.js';
import { parseErrorText, unknownCommand, unknownOption, type OptionSpec } from './commands/cli-arguments.js';
import { buildUptimeReport, isReportPeriod, REPORT_PERIODS } from './commands/report.js';
import { reportCsv, reportJson, reportText } from './commands/report-format.js';
import { serve, type ServeOptions, type ServeOutcome } from './commands/serve.js';
import { MissingBinaryError, runStack, type StackCommandOptions } from './commands/stack.js';
import { openStoredData, type StoredData, type StoredDataOptions } from './commands/stored-data.js';
import { commandNames, commandUsage, vigilVersion } from './commands/usage.js';
import { parseDuration, parseListenAddress } from './config/index.js';
import type { ListenAddress, VigilConfig } from './config/types.js';
import { isLogFormat, LOG_FORMATS } from './log.js';
import { resolveSecretFiles, SecretFileError } from './secret-files.js';

const USAGE = `Usage: vigil <command> [options]

Commands:
  start                 prober + status page + Alertmanager receiver in one process
  prober                the prober role alone (metrics, API, status page)
  receiver              the Alertmanager webhook receiver alone
  stack                 start, plus Prometheus and Alertmanager from the PATH with the repo's configs (no Docker)
  check-config          validate config/checks.yml, config.yml and status-page.yml
  probe --once          run the checks once now and print the results; stores nothing
  diagnose CHECK_ID     what probably broke in a check now, from the stored results (--lookback, --json)
  report                uptime per service and component, offenders, incidents, error budget (--period, --json, --csv)
  help COMMAND          one command's usage and options

Options:
  --config-dir DIR        configuration directory (default: config/)
  --data-dir DIR          (start, prober, receiver, stack, diagnose, report) data directory (default: data/)
  --prober-listen H:P     (start, prober, stack) prober HTTP address (default: 0.0.0.0:9470, or config.yml server.prober_listen)
  --receiver-listen H:P   (start, receiver, stack) receiver HTTP address (default: 0.0.0.0:9471)
  --prometheus-listen H:P    (stack) Prometheus address (default: 0.0.0.0:9090)
  --alertmanager-listen H:P  (stack) Alertmanager address (default: 0.0.0.0:9093)
  --demo                  (start, prober, stack, probe) also serve the demo target the shipped checks probe
  --demo-listen H:P       (start, prober, stack, probe) demo target address (default: 127.0.0.1:9479)
  --check ID              (probe) only this check
  --json                  (probe) JSON lines instead of a table; (diagnose, report) one JSON object
  --lookback DURATION     (diagnose) how far back results are read (default: 60m)
  --period P              (report) 24h, 7d, 30d, 90d or 365d (default: 24h)
  --csv                   (report) the uptime table as CSV
  --log-format F          (start, prober, receiver) json or text (default: text on a terminal, else JSON lines)
  -V, --version           the version
  -h, --help              this help
`;

const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_CONFIG = 2;

const OPTIONS = {
  'config-dir': { type: 'string', default: 'config' },
  'data-dir': { type: 'string' },
  'prober-listen': { type: 'string' },
  'receiver-listen': { type: 'string' },
  'prometheus-listen': { type: 'string' },
  'alertmanager-listen': { type: 'string' },
  demo: { type: 'boolean', default: false },
  'demo-listen': { type: 'string', default: '127.0.0.1:9479' },
  once: { type: 'boolean', default: false },
  check: { type: 'string' },
  json: { type: 'boolean', default: false },
  csv: { type: 'boolean', default: false },
  lookback: { type: 'string', default: '60m' },
  period: { type: 'string', default: '24h' },
  'log-format': { type: 'string' },
  version: { type: 'boolean', short: 'V', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies Record<string, OptionSpec & { default?: string | boolean }>;

async function main(argv: string[]): Promise<number> {
  const unknown = unknownOption(argv, OPTIONS);
  if (unknown !== undefined) return usageError(unknown);
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
  const command = positionals[0];
  if (values.version) {
    process.stdout.write(`vigil ${vigilVersion()}\n`);
    return EXIT_OK;
  }
  if (command === 'help') return help(positionals[1]);
  if (values.help || !command) {
    process.stdout.write((command && commandUsage(USAGE, command)) || USAGE);
    return command || values.help ? EXIT_OK : EXIT_CONFIG;
  }
  const logFormat = values['log-format'];
  if (logFormat !== undefined && !isLogFormat(logFormat))
    return usageError(`--log-format: expected one of ${LOG_FORMATS.join(', ')}, got \`${logFormat}\``);
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
      const demoListen = values.demo ? listenFlag(values['demo-listen'], '--demo-listen') : undefined;
      return withDemoTarget(demoListen, env, () => probeCommand(configDir, env, values));
    }
    case 'diagnose': {
      const checkId = positionals[1];
      if (checkId === undefined) return usageError('diagnose needs a check id: vigil diagnose CHECK_ID');
      const lookbackMs = parseDuration(values.lookback);
      if (lookbackMs === undefined || lookbackMs <= 0)
        return usageError(`--lookback: expected a duration such as 60m or 6h, got \`${values.lookback}\``);
      const refuse = (config: VigilConfig): string | undefined => unknownCheck(config, checkId);
      return withStoredData({ configDir, env, dataDir: values['data-dir'], refuse }, async ({ config, store }) => {
        const outcome = await diagnoseCheck({ config, store, env, checkId, lookbackMs, now: Date.now() });
        if (!outcome.ok) return failed(outcome.message);
        process.stdout.write(`${values.json ? diagnosisJson(outcome) : diagnosisText(outcome)}\n`);
        return EXIT_OK;
      });
    }
    case 'report': {
      const period = values.period;
      if (!isReportPeriod(period))
        return usageError(`--period: expected one of ${REPORT_PERIODS.join(', ')}, got \`${period}\``);
      if (values.json && values.csv) return usageError('--json and --csv: choose one');
      return withStoredData({ configDir, env, dataDir: values['data-dir'] }, async ({ config, store }) => {
        const report = await buildUptimeReport({ config, store, env, period, now: Date.now() });
        const text = values.json ? reportJson(report) : values.csv ? reportCsv(report) : reportText(report);
        process.stdout.write(`${text}\n`);
        return EXIT_OK;
      });
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
        logFormat,
      });
    case 'stack':
      return stackExitCode({
        configDir,
        env,
        dataDir: values['data-dir'],
        proberListen: listenFlag(values['prober-listen'], '--prober-listen'),
        receiverListen: listenFlag(values['receiver-listen'], '--receiver-listen'),
        demoListen: values.demo ? listenFlag(values['demo-listen'], '--demo-listen') : undefined,
        prometheusListen: listenFlag(values['prometheus-listen'], '--prometheus-listen'),
        alertmanagerListen: listenFlag(values['alertmanager-listen'], '--alertmanager-listen'),
      });
    default:
      return usageError(unknownCommand(command, commandNames(USAGE)));
  }
}

/** `vigil help` and `vigil help COMMAND`. */
function help(command: string | undefined): number {
  if (command === undefined) {
    process.stdout.write(USAGE);
    return EXIT_OK;
  }
  const usage = commandUsage(USAGE, command);
  if (usage === undefined) return usageError(unknownCommand(command, commandNames(USAGE)));
  process.stdout.write(usage);
  return EXIT_OK;
}

/** `vigil probe --once`: runs the checks now and prints them; exit 1 when any is not healthy. */
async function probeCommand(
  configDir: string,
  env: Record<string, string | undefined>,
  values: { check?: string | undefined; json: boolean; demo: boolean; 'demo-listen': string },
): Promise<number> {
  const loaded = loadFormatted(configDir, env);
  if (!loaded.ok) {
    process.stderr.write(`${loaded.problems.join('\n')}\n`);
    return EXIT_CONFIG;
  }
  const checks = selectChecks(loaded.config.checks, values.check);
  if (!checks) return usageError(`unknown check \`${values.check}\` (not in ${path.join(configDir, 'checks.yml')})`);
  const results = await probeOnce(checks, loaded.config.settings.prober.maxConcurrency);
  if (values.json) process.stdout.write(results.map((result) => `${formatJsonLine(result)}\n`).join(''));
  else process.stdout.write(`${formatTable(results)}\n`);
  if (!values.demo && env['DEMO_TARGET_URL'] === undefined) {
    const note = demoTargetNote(checks, results, `http://${values['demo-listen']}`);
    if (note !== undefined) process.stderr.write(`${note}\n`);
  }
  return results.every((result) => result.status === 'healthy') ? EXIT_OK : EXIT_FAILED;
}

/** Runs the roles until a signal and turns how that ended into output and an exit code. */
async function serveExitCode(options: ServeOptions): Promise<number> {
  return outcomeExitCode(await serve(options));
}

/** `vigil stack`: as serveExitCode; a server missing from the PATH is exit 1 with the package to install. */
async function stackExitCode(options: StackCommandOptions): Promise<number> {
  try {
    return outcomeExitCode(await runStack(options));
  } catch (error) {
    if (error instanceof MissingBinaryError) return failed(error.message);
    throw error;
  }
}

function outcomeExitCode(outcome: ServeOutcome): number {
  if (outcome.kind === 'stopped') return EXIT_OK;
  if (outcome.kind === 'config-invalid') process.stderr.write(`${outcome.problems.join('\n')}\n`);
  else process.stderr.write(`vigil: ${outcome.message}\n`);
  return EXIT_FAILED;
}

/**
 * Opens the configured store for a command that reads it, runs the command and closes the store: exit 2 for an
 * invalid configuration (as `vigil probe`), 1 when there is no store to read.
 */
async function withStoredData(
  options: StoredDataOptions,
  command: (data: Extract<StoredData, { ok: true }>) => Promise<number>,
): Promise<number> {
  const data = await openStoredData(options);
  if (!data.ok) {
    if (data.kind === 'config-invalid') {
      process.stderr.write(`${data.problems.join('\n')}\n`);
      return EXIT_CONFIG;
    }
    return failed(data.message);
  }
  try {
    return await command(data);
  } finally {
    await data.store.close();
  }
}

function failed(message: string): number {
  process.stderr.write(`vigil: ${message}\n`);
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
    if (error instanceof UsageError || error instanceof SecretFileError) {
      process.exitCode = usageError(error.message);
      return;
    }
    if (error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      process.exitCode = usageError(parseErrorText(error.message));
      return;
    }
    process.stderr.write(`vigil: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = EXIT_FAILED;
  },
);
