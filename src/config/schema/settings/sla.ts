// config.yml `sla:` uptime targets in percent; critical <= warning <= target.

import { Type } from '@sinclair/typebox';

import { Strict } from '../common.js';

const Percent = (defaultValue: number, description: string) =>
  Type.Number({ minimum: 0, maximum: 100, default: defaultValue, description });

export const SlaSection = Strict(
  {
    target: Type.Optional(Percent(99.9, 'The uptime promised, in percent.')),
    warning: Type.Optional(Percent(99.5, 'Uptime below this warns, in percent (at most the target).')),
    critical: Type.Optional(Percent(99.0, 'Uptime below this is critical, in percent (at most warning).')),
    count_degraded_as_up: Type.Optional(Type.Boolean({ default: true, description: 'Degraded results count as up.' })),
  },
  { description: 'Service-level targets.' },
);
