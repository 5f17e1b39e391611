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
  /** With source `rules` when an AI is configured: why its answer is not the one shown (`timeout`, `rate_limited`). */
  fallback_reason?: string;
}

/** Where evidence came from: the shared store, the prober's HTTP API, or only the alert's own labels. */
export type EvidenceSource = 'store' | 'prober_api' | 'labels';

/** What was consulted for a diagnosis, and what could not be, so a thin diagnosis says why it is thin. */
export interface EvidenceSourceNote {
  source: EvidenceSource;
  available: boolean;
  /** Why it was not available, or what it covered (`results of the last 60 min`). */
  note?: string;
}

/** Where a check points, as far as a diagnosis needs it: what a recommendation names. */
export interface CheckTarget {
  type: string;
  /** Host name or address, when the check has one. */
  host?: string;
  port?: number;
  /** http(s)/ws(s) URL without credentials or query secrets. */
  url?: string;
  /** DNS checks: the name resolved and the record type, and the resolver asked (absent: the system's). */
  dnsName?: string;
  recordType?: string;
  resolver?: string;
  /** TLS: the name the certificate must carry. */
  serverName?: string;
  /** postgres: the database name of the connection string. */
  database?: string;
}

/** One result as evidence: the judged outcome and its timings (no bodies, no headers). */
export interface ResultEvidence {
  at: number;
  status: string;
  reason?: string;
  message: string;
  durationMs: number;
  httpStatus?: number;
  phases: Readonly<Record<string, number>>;
  /** Unix milliseconds, like `at` (a stored result has it in seconds). */
  certExpiresAt?: number;
}

export interface IncidentEvidence {
  openedAt: number;
  closedAt?: number;
  reason: string;
  message: string;
}

/** Another check failing at the same time, and what it shares with this one (`component=db`, `host=db.internal`). */
export interface CoFailingCheck {
  checkId: string;
  name: string;
  reason?: string;
  shared: string[];
}

/** Another check that shares infrastructure with this one (`endpoint=db:5432`, `host=db.internal`) and is not failing. */
export interface HealthySharingCheck {
  checkId: string;
  name: string;
  shared: string[];
}

/** Everything known about one check at the time of an alert. */
export interface CheckEvidence {
  checkId: string;
  name?: string;
  component?: string;
  service?: string;
  group?: string;
  target?: CheckTarget;
  /** Oldest first; the lookback's results, at most a few hundred. */
  recent: ResultEvidence[];
  lastHealthyAt?: number;
  /** Incidents of the past days, newest first. */
  incidents: IncidentEvidence[];
  /** `incidents` is complete from this time on: the incident lookback or the check's first result, the later. */
  historySince?: number;
  coFailing: CoFailingCheck[];
  /**
   * Checks sharing its endpoint, host, DNS name or resolver with no open incident: what they share evidently works
   * for them. Absent when the source cannot tell (labels only).
   */
  healthySharing?: HealthySharingCheck[];
  /** Unix milliseconds: the newest result's certificate expiry. */
  certExpiresAt?: number;
  /** Maintenance windows in force now or starting within the hour. */
  maintenance: Array<{ id: string; start: number; end: number }>;
}

/** The evidence for one alert (or each check of a group): what rules and the AI reason over. */
export interface DiagnosisEvidence {
  alert: {
    alertname: string;
    severity: string;
    labels: Readonly<Record<string, string>>;
    annotations: Readonly<Record<string, string>>;
    startsAt: number;
  };
  checks: CheckEvidence[];
  sources: EvidenceSourceNote[];
  /** When the evidence was gathered (Unix milliseconds). */
  at: number;
}

/** What one rule family concluded: a hypothesis with the evidence for it and what to do next. */
export interface Finding {
  /** The rule family (`dns`, `connection_refused`, `timeout`, `tls`, `deployment`, ...). */
  rule: string;
  summary: string;
  probableCause: string;
  /** The evidence items it rests on, as sentences a person can check. */
  evidence: string[];
  /** Concrete next steps naming the host, port, URL path, name or certificate. */
  recommendations: string[];
  confidence: Confidence;
}
