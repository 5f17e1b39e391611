// config.yml `retention:` how long each kind of record is kept. Hourly and daily rollups keep the SLA windows
// answerable after raw results are gone: daily rollups live as long as incidents, so the 365-day SLA needs
// `incidents` of at least 365d.

import { Type } from '@sinclair/typebox';

import type { DurationRange } from '../../duration.js';
import { Duration, Strict } from '../common.js';

export const RETENTION_RANGE: DurationRange = { min: '1d', max: '10y' };

export const RETENTION_DEFAULTS = { results: '90d', incidents: '365d', alerts: '30d', hourly_rollups: '90d' } as const;

const Kept = (key: keyof typeof RETENTION_DEFAULTS, description: string) =>
  Type.Optional(Duration(RETENTION_RANGE, { default: RETENTION_DEFAULTS[key], description }));

export const RetentionSection = Strict(
  {
    results: Kept('results', 'Raw probe results (1d to 10y).'),
    incidents: Kept('incidents', 'Closed incidents, and the daily SLA rollups (1d to 10y).'),
    alerts: Kept('alerts', 'Alerts the receiver stored (1d to 10y).'),
    hourly_rollups: Kept('hourly_rollups', 'Hourly SLA rollups (1d to 10y).'),
  },
  { description: 'How long records are kept; older ones are pruned hourly.' },
);
