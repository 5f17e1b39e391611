// config.yml `prober:` how hard the prober may work.

import { Type } from '@sinclair/typebox';

import { Strict } from '../common.js';

export const ProberSection = Strict(
  {
    max_concurrency: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 10_000, default: 256, description: 'Probes in flight at most.' }),
    ),
  },
  { description: 'Prober limits.' },
);
