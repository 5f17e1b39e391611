// A pino logger at debug level whose lines a test reads back: what an operator would find in the log.

import { pino, type Logger } from 'pino';

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** pino's number for the error level; anything at or above it pages someone reading the log. */
export const ERROR_LEVEL = 50;
export const DEBUG_LEVEL = 20;

export function capturedLog(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
  return { logger, lines };
}
