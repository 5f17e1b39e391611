// A diagnosis of an alert (CONTRACT section 6): what probably happened, the evidence, what to do, and whether the AI
// or the rules said so.

export type Confidence = 'low' | 'medium' | 'high';

/** CONTRACT section 6. `pending` marks a placeholder written before any diagnosis ran. */
export interface AlertDiagnosis {
  summary: string;
  probable_cause: string | null;
  evidence: string[];
  recommendations: string[];
  confidence: Confidence;
  source: 'ai' | 'rules';
  pending?: boolean;
}
