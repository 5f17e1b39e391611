// Logs (pino), one logger created by the CLI and passed down. JSON lines when the output is not a terminal (for Loki,
// journald and friends: one object a line, every field kept); one readable line per entry on a terminal, or with
// `--log-format text`: `14:05:03 INFO  prober listening address=0.0.0.0:9470 store=sqlite`.

import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

export const LOG_FORMATS = ['json', 'text'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export function isLogFormat(text: string): text is LogFormat {
  return (LOG_FORMATS as readonly string[]).includes(text);
}

export interface LoggerOptions {
  level?: string;
  /** Default: text when stdout is a terminal, else JSON. */
  format?: LogFormat;
  /** Where lines go; default stdout. */
  output?: NodeJS.WritableStream & { isTTY?: boolean };
}

export function createLogger(options: LoggerOptions | string = {}): Logger {
  const {
    level = process.env.VIGIL_LOG_LEVEL ?? 'info',
    format,
    output = process.stdout,
  } = typeof options === 'string' ? { level: options } : options;
  const text = (format ?? (output.isTTY === true ? 'text' : 'json')) === 'text';
  const settings = {
    level,
    base: { app: 'vigil' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['*.password', '*.token', '*.authorization', '*.Authorization'], censor: '[redacted]' },
  };
  if (!text) return output === process.stdout ? pino(settings) : pino(settings, output as DestinationStream);
  return pino(settings, textDestination(output));
}

const LEVEL_NAMES: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
/** Fields every entry has, shown in the line's own places or not at all. */
const OWN_FIELDS = new Set(['level', 'time', 'msg', 'app', 'pid', 'hostname', 'err']);

/** pino writes each entry as one JSON line to this stream, which rewrites it as text. */
function textDestination(output: NodeJS.WritableStream): DestinationStream {
  return {
    write(line: string): void {
      output.write(textLine(line));
    },
  };
}

/** One pino JSON line as `HH:MM:SS LEVEL message key=value …`, an error's stack indented below it. */
export function textLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const time = typeof entry['time'] === 'string' ? entry['time'].slice(11, 19) : '';
  const level = (LEVEL_NAMES[Number(entry['level'])] ?? String(entry['level'])).padEnd(5);
  const fields = Object.entries(entry)
    .filter(([key, value]) => !OWN_FIELDS.has(key) && value !== undefined)
    .map(([key, value]) => `${key}=${fieldText(value)}`);
  const err = entry['err'] as { message?: unknown; stack?: unknown } | undefined;
  if (err !== undefined) fields.push(`err=${fieldText(err.message)}`);
  const head = [time, level, typeof entry['msg'] === 'string' ? entry['msg'] : '', ...fields]
    .filter((part) => part !== '')
    .join(' ');
  const stack = typeof err?.stack === 'string' ? `\n${err.stack.replace(/^/gm, '    ')}` : '';
  return `${head}${stack}\n`;
}

/** Plain words stay bare; anything with spaces, quotes or structure is JSON, so a line still splits unambiguously. */
function fieldText(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value) ?? String(value);
}
