// The receiver's diagnosis of each new firing, assembled: the runs (shared per firing), the background queue ingest
// hands its new firings to, and the hook the outbox worker calls before rendering a message. Delivery waits for the
// AI at most `ai.timeout` after the notification was accepted; the AI call itself may run on for a few times that,
// so an answer that comes after the message went is still stored and shown by the admin API.

import type { Logger } from 'pino';
import type { AiSettings } from '../../config/types.js';
import type { PrepareNotification } from '../../delivery/prepared-notification.js';
import { AiDiagnoser } from '../../diagnosis/ai/ai-diagnoser.js';
import type { DiagnosisMetrics } from '../../metrics/diagnosis-metrics.js';
import type { AlertRecord } from '../../model/alert.js';
import type { AlertStore } from '../../store/alert-store.js';
import { AlertDiagnoses } from './alert-diagnoses.js';
import { diagnosedNotification, RULES_GRACE_MS } from './diagnosed-notification.js';
import { DiagnosisQueue } from './diagnosis-queue.js';
import type { EvidenceSource } from './evidence-source.js';

/** How long delivery waits without an AI (the rules take milliseconds; this bounds a store that hangs). */
export const DEFAULT_DELIVERY_WAIT_MS = 10_000;
/** The AI call may take this many times `ai.timeout`: what comes after the delivery's wait is stored for the API. */
export const LATE_ANSWER_FACTOR = 3;
/** Past the delivery's wait and the rules' grace, the outbox worker gives up on the hook. */
const HOOK_MARGIN_MS = 1_000;

export interface ReceiverDiagnosisOptions {
  alerts: Pick<AlertStore, 'get' | 'list' | 'changeEach'>;
  evidence: EvidenceSource;
  /** Absent: AI diagnosis is off. */
  ai?: AiSettings;
  /** OPENAI_API_KEY. */
  apiKey?: string;
  now: () => number;
  logger: Logger;
  /** The evidence is the alert's labels alone (labels-diagnosis.ts): rule diagnoses are made where shown, not stored. */
  labelsOnlySource?: boolean;
  metrics?: DiagnosisMetrics;
}

export class ReceiverDiagnosis {
  readonly diagnoses: AlertDiagnoses;
  readonly queue: DiagnosisQueue;
  /** For the outbox worker: the notification with its alerts' diagnoses, within `prepareLimitMs`. */
  readonly prepare: PrepareNotification;
  readonly prepareLimitMs: number;
  /** Whether a background diagnosis adds anything: not when it would be the labels' rules, which nobody stores. */
  readonly #background: boolean;

  constructor(options: ReceiverDiagnosisOptions) {
    const { alerts, ai, logger } = options;
    this.diagnoses = new AlertDiagnoses({
      alerts,
      evidence: options.evidence,
      ...(ai === undefined ? {} : { ai: aiDiagnoser(ai, options.apiKey) }),
      now: options.now,
      logger,
      ...(options.labelsOnlySource === true ? { labelsOnlySource: true } : {}),
      ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
    });
    this.#background = options.labelsOnlySource !== true || ai !== undefined;
    this.queue = new DiagnosisQueue({ diagnoses: this.diagnoses, alerts, logger });
    const waitMs = ai?.timeoutMs ?? DEFAULT_DELIVERY_WAIT_MS;
    this.prepare = diagnosedNotification({ diagnoses: this.diagnoses, alerts, now: options.now, waitMs });
    this.prepareLimitMs = waitMs + RULES_GRACE_MS + HOOK_MARGIN_MS;
  }

  /** Ingest committed these alerts' new firings. */
  firing(alerts: readonly AlertRecord[]): void {
    if (this.#background) this.queue.offer(alerts);
  }

  start(): void {
    if (this.#background) this.queue.start();
  }

  async stop(): Promise<void> {
    await this.queue.stop();
    await this.diagnoses.stop();
  }
}

function aiDiagnoser(settings: AiSettings, apiKey: string | undefined): AiDiagnoser {
  return new AiDiagnoser({
    settings: { ...settings, timeoutMs: settings.timeoutMs * LATE_ANSWER_FACTOR },
    ...(apiKey === undefined ? {} : { apiKey }),
  });
}
