// status-page.yml: which components the status page shows, the SLA periods and the tiers.

import { Type, type Static } from '@sinclair/typebox';

import { DEFAULT_STATUS_PAGE_WINDOWS, SLA_WINDOW_NAMES } from '../../model/sla-window.js';
import { NonEmptyString, Strict, StringEnum, StringMap, fileOptions } from './common.js';

const ComponentSchema = Strict(
  {
    id: Type.String({
      pattern: '^[A-Za-z0-9_.-]+$',
      patternErrorMessage: 'must use only letters, digits, `_`, `.` and `-`',
      description: 'Unique component id. Example: backend',
    }),
    name: Type.Optional(NonEmptyString({ description: 'Display name; the id when absent.' })),
    description: Type.Optional(Type.String()),
    checks: Type.Array(NonEmptyString(), {
      minItems: 1,
      description: 'Ids of the checks (from checks.yml) shown here.',
    }),
    public: Type.Optional(Type.Boolean({ default: true, description: 'Shown without the admin token.' })),
    tier: Type.Optional(NonEmptyString({ description: 'A key of `tiers:`; its SLA target applies.' })),
  },
  { description: 'One component of the status page.' },
);

export const StatusPageFileSchema = Strict(
  {
    title: Type.Optional(NonEmptyString({ default: 'Service status' })),
    description: Type.Optional(Type.String()),
    periods: Type.Optional(
      Type.Array(StringEnum(SLA_WINDOW_NAMES), {
        minItems: 1,
        uniqueItems: true,
        default: DEFAULT_STATUS_PAGE_WINDOWS,
        description: 'SLA periods shown.',
      }),
    ),
    raw_messages: Type.Optional(
      Type.Boolean({
        default: false,
        description:
          "Show every viewer the probes' own messages (they name hosts, ports and paths); without it, visitors " +
          'without the admin token see neutral words by reason ("not responding", "certificate problem").',
      }),
    ),
    tiers: Type.Optional(
      StringMap(Type.Number({ minimum: 0, maximum: 100 }), { description: 'Tier name → SLA target percent.' }),
    ),
    components: Type.Optional(
      Type.Array(ComponentSchema, { description: 'Components shown; one per check group when absent.' }),
    ),
  },
  fileOptions('Vigil status page', 'What the public status page shows (config/status-page.yml).'),
);

export type RawStatusPageFile = Static<typeof StatusPageFileSchema>;
