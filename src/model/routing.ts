// Notification routing as config.yml's `notifications:` section describes it, normalised: which channels (and
// recipients) hear of an alert group, matched on its labels with Alertmanager's matcher operators, and how hard the
// outbox tries each channel. The seeds apply when config.yml sets no routes.

export type MatchOperator = '=' | '!=' | '=~' | '!~';

/** One label matcher, as Alertmanager reads `name<op>"value"`; regular expressions match the whole value. */
export interface LabelMatcher {
  name: string;
  operator: MatchOperator;
  value: string;
}

/** A channel a route sends to, with the recipients it names for it (absent: the channel's own list). */
export interface RouteTarget {
  channel: string;
  recipients?: string[];
}

export interface Route {
  /** Where it was configured (`notifications.routes[2]`, or `seed: critical`), for messages and the delivery log. */
  source: string;
  /** All must match; none matches every group. */
  matchers: LabelMatcher[];
  targets: RouteTarget[];
  /** Keep looking for further matching routes after this one. */
  continue: boolean;
  /** Send again while the group keeps the same firing set, this often; absent: never (Alertmanager already repeats). */
  reminderIntervalMs?: number;
}

/** How the outbox treats one channel's jobs. */
export interface ChannelPolicy {
  /** Attempts at most, then the job is dead. */
  maxAttempts: number;
  /** A job not sent this long after it was accepted is dead. */
  maxAgeMs: number;
  /** One attempt's time at most (the send is aborted). */
  timeoutMs: number;
  /** Sends in flight at once on the channel. */
  concurrency: number;
  /** Backoff before attempt n+1: a random wait up to min(maxBackoffMs, initialBackoffMs × 2^(n−1)) (full jitter). */
  initialBackoffMs: number;
  maxBackoffMs: number;
}

export interface NotificationSettings {
  routes: Route[];
  /** True when config.yml set no routes and the seeds apply. */
  seeded: boolean;
  /** Per channel name; a channel config.yml does not mention has the defaults. */
  policies: Record<string, ChannelPolicy>;
  defaultPolicy: ChannelPolicy;
  /** Recipients per channel set in config.yml (`notifications.channels.email.recipients`); the environment's lists add to them. */
  recipients: Record<string, string[]>;
  /** How long a worker holds a job before another may take it (longer than any channel's timeout). */
  leaseMs: number;
}
