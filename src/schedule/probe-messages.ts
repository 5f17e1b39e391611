// The messages between the main thread and the probe thread.

import type { ProbedCheck } from '../model/check.js';
import type { CheckResult } from '../model/result.js';
import type { SchedulerStats } from './scheduler.js';

export type HostMessage =
  { kind: 'checks'; checks: ProbedCheck[]; maxConcurrency: number } | { kind: 'stats' } | { kind: 'stop' };

export type WorkerMessage =
  | { kind: 'results'; results: CheckResult[]; stats: SchedulerStats }
  | { kind: 'stats'; stats: SchedulerStats }
  | { kind: 'stopped' };
