// A ledger action as the actions API answers it.
import { z } from 'zod';
import { ACTION_STATUSES, ACTION_TYPES } from './action-vocabulary.ts';
import { timestamp, uuid } from './fields.ts';

const state = z.record(z.string(), z.unknown());
export const actionRecord = z.object({
  id: uuid,
  campaign_id: uuid,
  campaign_title: z.string(),
  rule_id: uuid.nullable(),
  rule_name: z.string().nullable(),
  cycle_id: uuid.nullable(),
  action_type: z.enum(ACTION_TYPES),
  status: z.enum(ACTION_STATUSES),
  reason: z.string(),
  previous_state: state.describe('The campaign before: status, budget, roi'),
  new_state: state.describe('The campaign after (posts: also platforms)'),
  confidence_score: z.number().nullable().describe('A probability in [0, 1] computed from the data'),
  expected_impact: z.string().nullable(),
  actual_impact: state.nullable(),
  error: z.string().nullable(),
  decided_by: uuid.nullable().describe('The user who approved or dismissed it (or rolled it back: its rollback row)'),
  decided_by_api_key: uuid.nullable().describe('The API key that approved or dismissed it, when a script did'),
  decided_by_name: z
    .string()
    .nullable()
    .describe(
      'Who decided, in words: the user’s name (or e-mail), "API key <name>", or whom a message’s link or Slack ' +
        'button named (an address, "Slack @name (U…)"); null for the engine’s own',
    ),
  executed_at: timestamp.nullable(),
  rolled_back_at: timestamp.nullable(),
  rolled_back_by: uuid.nullable(),
  rolled_back_by_api_key: uuid.nullable(),
  rolled_back_by_name: z.string().nullable().describe('Who rolled it back, in words, as decided_by_name'),
  created_at: timestamp,
  updated_at: timestamp,
});

export type ActionRecord = z.infer<typeof actionRecord>;
