// config.yml `alertmanager:` the Alertmanager the receiver creates and expires silences in (v2 API).

import { Type } from '@sinclair/typebox';

import { Duration, Strict } from '../common.js';

export const AlertmanagerSection = Strict(
  {
    url: Type.Optional(
      Type.String({
        pattern: String.raw`^https?://\S+$`,
        patternErrorMessage: 'must be an http:// or https:// URL, e.g. "{{ ALERTMANAGER_URL }}"',
        description:
          'Base URL of Alertmanager; ALERTMANAGER_URL from the environment when absent; none disables silences.',
      }),
    ),
    timeout: Type.Optional(
      Duration({ min: '1s', max: '60s' }, { default: '10s', description: 'How long one silence request may take.' }),
    ),
  },
  { description: 'Alertmanager, for silences.' },
);
