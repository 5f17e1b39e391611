// The body of acknowledge, resolve and suppress: `{by, note}` and, for suppress, `{duration}` (default 1h).

import { Type, type Static } from '@sinclair/typebox';
import { Ajv } from 'ajv';
import { parseDuration } from '../../config/index.js';
import { RequestProblem } from '../request-problem.js';
import type { ActionRequest } from '../../receiver/lifecycle/lifecycle-service.js';
import { problemMessage } from '../../receiver/payload/problem-message.js';

export const DEFAULT_SUPPRESS_MS = 3_600_000;
export const SUPPRESS_RANGE = { minMs: 60_000, maxMs: 90 * 86_400_000, text: 'from 1m to 90d' } as const;

const ActionBodySchema = Type.Object(
  {
    by: Type.String({ minLength: 1, maxLength: 200 }),
    note: Type.Optional(Type.String({ maxLength: 4_000 })),
    duration: Type.Optional(Type.String({ maxLength: 32 })),
  },
  { additionalProperties: false },
);

const validate = new Ajv({ allErrors: false, verbose: true }).compile<Static<typeof ActionBodySchema>>(
  ActionBodySchema,
);

export interface ActionBody {
  request: ActionRequest;
  durationMs: number;
}

export function parseActionBody(body: unknown): ActionBody {
  if (!validate(body)) {
    const error = validate.errors?.[0];
    throw new RequestProblem(400, error === undefined ? 'body: is invalid' : problemMessage(error));
  }
  const request: ActionRequest = { by: body.by, ...(body.note === undefined ? {} : { note: body.note }) };
  if (body.duration === undefined) return { request, durationMs: DEFAULT_SUPPRESS_MS };
  const durationMs = parseDuration(body.duration);
  if (durationMs === undefined || durationMs < SUPPRESS_RANGE.minMs || durationMs > SUPPRESS_RANGE.maxMs) {
    throw new RequestProblem(400, `duration: must be a duration ${SUPPRESS_RANGE.text} like 30m or 4h`);
  }
  return { request, durationMs };
}
