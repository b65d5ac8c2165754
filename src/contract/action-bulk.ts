// Deciding many suggestions at once (POST /api/actions/bulk): what a person asks for, and what
// happened to each action, one transaction each, so one refusal leaves the others decided.
import { z } from 'zod';
import { uuid } from './fields.ts';

export const BULK_DECISIONS = ['approve', 'dismiss'] as const;
export const BULK_LIMIT = 200;

/**
 * done: decided now (status says where it stands: executed, dismissed, or applying: sent to its
 * ad platform, not carried out until the platform confirms); unchanged: it already was there;
 * refused: its status does not allow it (not pending); conflict: its campaign changed since it was
 * suggested (expected and actual say how); not_found: no such action of the tenant; failed: it
 * could not be carried out (nothing changed for it).
 */
export const BULK_OUTCOMES = ['done', 'unchanged', 'refused', 'conflict', 'not_found', 'failed'] as const;

const observed = z.record(z.string(), z.union([z.string(), z.number()]));

export const bulkDecisionRequest = z.strictObject({
  decision: z.enum(BULK_DECISIONS),
  ids: z
    .array(uuid)
    .min(1)
    .max(BULK_LIMIT)
    .refine((ids) => new Set(ids).size === ids.length, 'names an action more than once')
    .describe(`The actions to decide, at most ${BULK_LIMIT}`),
});

export const bulkDecisionResult = z.object({
  decision: z.enum(BULK_DECISIONS),
  results: z.array(
    z.object({
      id: uuid,
      outcome: z.enum(BULK_OUTCOMES),
      status: z.string().nullable().describe('The action’s status after the request; null when not found'),
      message: z.string().nullable().describe('Why it was not done, or what is still awaited'),
      expected: observed.optional(),
      actual: observed.optional(),
    }),
  ),
  counts: z.record(z.enum(BULK_OUTCOMES), z.number().int()).describe('How many actions had each outcome'),
});

export type BulkDecisionRequest = z.infer<typeof bulkDecisionRequest>;
export type BulkDecisionResult = z.infer<typeof bulkDecisionResult>;
export type BulkOutcome = (typeof BULK_OUTCOMES)[number];
