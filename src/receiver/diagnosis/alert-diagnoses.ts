// Diagnoses an alert's current firing: evidence from the configured source, the rule diagnosis (stored as soon as it
// is known), and when an AI is configured its answer on top, stored whenever it comes. One run per firing at a time,
// shared by everyone who asks for it (the background trigger after ingest, each delivery of the alert's messages).

import type { Logger } from 'pino';
import { diagnoseWithAi } from '../../diagnosis/ai/ai-diagnosis.js';
import type { AiDiagnoser } from '../../diagnosis/ai/ai-diagnoser.js';
import { ruleFindings } from '../../diagnosis/index.js';
import type { AlertRecord } from '../../model/alert.js';
import type { DiagnosisMetrics } from '../../metrics/diagnosis-metrics.js';
import type { AlertDiagnosis, DiagnosisEvidence, Finding } from '../../model/diagnosis.js';
import type { AlertStore } from '../../store/alert-store.js';
import { diagnosisKey, isSettled } from './diagnosis-state.js';
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
  /** Times each diagnosis and counts the AI's fallbacks. */
  metrics?: Pick<DiagnosisMetrics, 'diagnosed' | 'aiFallback'>;
}

interface Ruled {
  evidence: DiagnosisEvidence;
  findings: Finding[];
  diagnosis: AlertDiagnosis;
}

const ignore = (): void => {};

/** Firings remembered as stored with their last word: more than a storm's worth of alerts waiting in the queue. */
const SETTLED_REMEMBERED = 10_000;

export class AlertDiagnoses {
  readonly #inFlight = new Map<string, DiagnosisRun>();
  /** The saves of a firing's diagnoses not written yet: its run stays the answer until they are. */
  readonly #saving = new Map<string, Promise<void>>();
  readonly #stop = new AbortController();
  readonly #writer: DiagnosisWriter;
  /** Keys of the firings whose last word this receiver stored, oldest first (a Set keeps insertion order). */
  readonly #settled = new Set<string>();

  constructor(private readonly options: AlertDiagnosesOptions) {
    this.#writer = new DiagnosisWriter(options.alerts);
  }

  get aiConfigured(): boolean {
    return this.options.ai !== undefined;
  }

  /**
   * Whether the last word on the alert's current firing is stored already (by this receiver, recently): the queue's
   * copy of an alert, taken at ingest, does not show a diagnosis a delivery made and stored since.
   */
  settled(alert: Pick<AlertRecord, 'id' | 'lastStartsAt'>): boolean {
    return this.#settled.has(diagnosisKey(alert));
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
      // Until its diagnosis is stored, this run stays the one every delivery of the firing uses: a second channel
      // asking then would otherwise diagnose it again.
      .finally(async () => {
        await this.#saving.get(key);
        this.#inFlight.delete(key);
      })
      .catch(ignore);
    return run;
  }

  /** Aborts the AI calls in flight, waits for every run to end (their late answers are not stored) and every save. */
  async stop(): Promise<void> {
    this.#stop.abort();
    await Promise.allSettled([...this.#inFlight.values()].map((run) => run.final));
    await Promise.allSettled([...this.#saving.values()]);
    await this.#writer.idle();
  }

  async #ruled(alert: AlertRecord): Promise<Ruled> {
    const { evidence: source, now, metrics } = this.options;
    const started = performance.now();
    const evidence = await source(diagnosisSubject(alert), now());
    const findings = ruleFindings(evidence);
    const diagnosis = ruleDiagnosis(alert, evidence, findings);
    metrics?.diagnosed('rules', (performance.now() - started) / 1000);
    // Stored in the background: the delivery waiting for this run uses it at once. One from the labels alone is
    // made again wherever it is shown (labels-diagnosis.ts) when the receiver has no other source.
    if (!(this.options.labelsOnlySource === true && fromLabelsOnly(evidence))) this.#save(alert, diagnosis);
    return { evidence, findings, diagnosis };
  }

  async #withAi(alert: AlertRecord, key: string, ruled: Ruled): Promise<AlertDiagnosis> {
    const { ai, logger, metrics } = this.options;
    if (ai === undefined) return ruled.diagnosis;
    const started = performance.now();
    const diagnosis = await diagnoseWithAi(
      ruled.evidence,
      { findings: ruled.findings, diagnosis: ruled.diagnosis },
      {
        diagnoser: ai,
        cacheKey: key,
        signal: this.#stop.signal,
        onFailure: (failure) => {
          metrics?.aiFallback(failure.reason);
          logger.warn(
            { alert: alert.id, reason: failure.reason, detail: failure.detail },
            'no AI diagnosis; the rule diagnosis stands',
          );
        },
      },
    );
    metrics?.diagnosed('ai', (performance.now() - started) / 1000);
    if (!this.#stop.signal.aborted) this.#save(alert, diagnosis);
    return diagnosis;
  }

  /**
   * Stores the diagnosis in the background. The writer keeps the order of saves (the rules' before the AI's of one
   * firing, in one transaction when they come close together); `#saving` keeps the firing's run answering until all
   * of its saves are written.
   */
  #save(alert: AlertRecord, diagnosis: AlertDiagnosis): void {
    const key = diagnosisKey(alert);
    const saving = this.#writer.save(alert.id, alert.lastStartsAt, diagnosis).then(
      () => {
        if (isSettled(diagnosis, this.aiConfigured)) this.#rememberSettled(key);
      },
      (error: unknown) => {
        this.options.logger.warn({ err: error, alert: alert.id }, 'could not store the diagnosis of an alert');
      },
    );
    const all = Promise.all([this.#saving.get(key), saving]).then(ignore);
    this.#saving.set(key, all);
    void all.finally(() => {
      if (this.#saving.get(key) === all) this.#saving.delete(key);
    });
  }

  #rememberSettled(key: string): void {
    this.#settled.add(key);
    if (this.#settled.size > SETTLED_REMEMBERED) this.#settled.delete(this.#settled.values().next().value!);
  }
}
