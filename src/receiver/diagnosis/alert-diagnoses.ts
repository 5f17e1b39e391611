// Diagnoses an alert's current firing: evidence from the configured source, the rule diagnosis (stored as soon as it
// is known), and when an AI is configured its answer on top, stored whenever it comes. One run per firing at a time,
// shared by everyone who asks for it (the background trigger after ingest, each delivery of the alert's messages).

import type { Logger } from 'pino';
import { diagnoseWithAi } from '../../diagnosis/ai/ai-diagnosis.js';
import type { AiDiagnoser } from '../../diagnosis/ai/ai-diagnoser.js';
import { ruleFindings } from '../../diagnosis/index.js';
import type { AlertRecord } from '../../model/alert.js';
import type { AlertDiagnosis, DiagnosisEvidence, Finding } from '../../model/diagnosis.js';
import type { AlertStore } from '../../store/alert-store.js';
import { diagnosisKey } from './diagnosis-state.js';
import type { EvidenceSource } from './evidence-source.js';
import { DiagnosisWriter } from './diagnosis-writer.js';
import { diagnosisSubject, fromLabelsOnly, ruleDiagnosis } from './labels-diagnosis.js';

export interface DiagnosisRun {
  /** The rule diagnosis, once known; it is stored in the background (a failed write is logged: it still counts). */
  readonly rules: Promise<AlertDiagnosis>;
  /** The last word: the AI's answer, the rules' saying why there is none, or the rules' alone without an AI. */
  readonly final: Promise<AlertDiagnosis>;
}

export interface AlertDiagnosesOptions {
  alerts: Pick<AlertStore, 'changeEach'>;
  evidence: EvidenceSource;
  /** Absent: no AI is configured, the rule diagnosis is the last word. */
  ai?: AiDiagnoser;
  now: () => number;
  logger: Logger;
  /**
   * The receiver's evidence is the labels alone (no shared store, no prober API): a rule diagnosis from them is not
   * stored, the API makes it again when it shows the alert.
   */
  labelsOnlySource?: boolean;
}

interface Ruled {
  evidence: DiagnosisEvidence;
  findings: Finding[];
  diagnosis: AlertDiagnosis;
}

const ignore = (): void => {};

export class AlertDiagnoses {
  readonly #inFlight = new Map<string, DiagnosisRun>();
  readonly #stop = new AbortController();
  readonly #writer: DiagnosisWriter;

  constructor(private readonly options: AlertDiagnosesOptions) {
    this.#writer = new DiagnosisWriter(options.alerts);
  }

  get aiConfigured(): boolean {
    return this.options.ai !== undefined;
  }

  /** The run diagnosing the alert's current firing: the one in flight, or a new one. */
  run(alert: AlertRecord): DiagnosisRun {
    const key = diagnosisKey(alert);
    const running = this.#inFlight.get(key);
    if (running !== undefined) return running;
    const ruled = this.#ruled(alert);
    const run: DiagnosisRun = {
      rules: ruled.then((result) => result.diagnosis),
      final: ruled.then((result) => this.#withAi(alert, key, result)),
    };
    // Whoever asks sees a failure; nobody asking must not make it an unhandled rejection.
    run.rules.catch(ignore);
    this.#inFlight.set(key, run);
    run.final
      .catch((error: unknown) => {
        this.options.logger.warn({ err: error, alert: alert.id }, 'could not diagnose the alert');
      })
      .finally(() => this.#inFlight.delete(key))
      .catch(ignore);
    return run;
  }

  /** Aborts the AI calls in flight, waits for every run to end (their late answers are not stored) and every save. */
  async stop(): Promise<void> {
    this.#stop.abort();
    await Promise.allSettled([...this.#inFlight.values()].map((run) => run.final));
    await this.#writer.idle();
  }

  async #ruled(alert: AlertRecord): Promise<Ruled> {
    const { evidence: source, now } = this.options;
    const evidence = await source(diagnosisSubject(alert), now());
    const findings = ruleFindings(evidence);
    const diagnosis = ruleDiagnosis(alert, evidence);
    // Stored in the background: the delivery waiting for this run uses it at once. One from the labels alone is
    // made again wherever it is shown (labels-diagnosis.ts) when the receiver has no other source.
    if (!(this.options.labelsOnlySource === true && fromLabelsOnly(evidence))) void this.#save(alert, diagnosis);
    return { evidence, findings, diagnosis };
  }

  async #withAi(alert: AlertRecord, key: string, ruled: Ruled): Promise<AlertDiagnosis> {
    const { ai, logger } = this.options;
    if (ai === undefined) return ruled.diagnosis;
    const diagnosis = await diagnoseWithAi(
      ruled.evidence,
      { findings: ruled.findings, diagnosis: ruled.diagnosis },
      {
        diagnoser: ai,
        cacheKey: key,
        signal: this.#stop.signal,
        onFailure: (failure) =>
          logger.warn(
            { alert: alert.id, reason: failure.reason, detail: failure.detail },
            'no AI diagnosis; the rule diagnosis stands',
          ),
      },
    );
    if (!this.#stop.signal.aborted) void this.#save(alert, diagnosis);
    return diagnosis;
  }

  async #save(alert: AlertRecord, diagnosis: AlertDiagnosis): Promise<void> {
    try {
      await this.#writer.save(alert.id, alert.lastStartsAt, diagnosis);
    } catch (error) {
      this.options.logger.warn({ err: error, alert: alert.id }, 'could not store the diagnosis of an alert');
    }
  }
}
