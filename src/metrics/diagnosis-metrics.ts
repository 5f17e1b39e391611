// The receiver's diagnosis metrics: how long diagnosing a new firing takes, by source (`rules`: evidence and rule
// findings; `ai`: the AI's answer on top, whatever it was), and the AI diagnoses that fell back to the rules, by
// reason. Made before the receiver's registry exists (the diagnosis is wired first), then registered on it.

import { Counter, Histogram, type Registry } from 'prom-client';

export type DiagnosisSource = 'rules' | 'ai';

/** From rules reading a local store to an AI call that runs to its late-answer limit. */
const DIAGNOSIS_SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export class DiagnosisMetrics {
  readonly #duration = new Histogram<'source'>({
    name: 'vigil_diagnosis_duration_seconds',
    help: 'Time taken to diagnose a new firing, by source: rules (evidence and rule findings), ai (the AI call on top).',
    labelNames: ['source'],
    buckets: DIAGNOSIS_SECONDS_BUCKETS,
    registers: [],
  });
  readonly #fallbacks = new Counter<'reason'>({
    name: 'vigil_diagnosis_ai_fallbacks_total',
    help: 'AI diagnoses that gave no usable answer, so the rule diagnosis stood, by reason.',
    labelNames: ['reason'],
    registers: [],
  });

  constructor(options: { aiConfigured: boolean }) {
    this.#duration.zero({ source: 'rules' });
    if (options.aiConfigured) this.#duration.zero({ source: 'ai' });
  }

  registerOn(registry: Registry): void {
    registry.registerMetric(this.#duration);
    registry.registerMetric(this.#fallbacks);
  }

  diagnosed(source: DiagnosisSource, seconds: number): void {
    this.#duration.observe({ source }, seconds);
  }

  aiFallback(reason: string): void {
    this.#fallbacks.inc({ reason });
  }
}
