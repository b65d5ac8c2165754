// An optimization opportunity as the opportunities API answers it.
import { z } from 'zod';
import { ACTION_TYPES } from './action-vocabulary.ts';
import { timestamp, uuid } from './fields.ts';
import { OPPORTUNITY_SEVERITIES, OPPORTUNITY_STATUSES, OPPORTUNITY_TYPES } from './opportunity-vocabulary.ts';

export const opportunityRecord = z.object({
  id: uuid,
  campaign_id: uuid,
  campaign_title: z.string(),
  opportunity_type: z.enum(OPPORTUNITY_TYPES),
  severity: z.enum(OPPORTUNITY_SEVERITIES),
  status: z.enum(OPPORTUNITY_STATUSES),
  description: z.string(),
  suggested_action: z.string(),
  confidence_score: z.number().nullable().describe('A probability in [0, 1] computed from the data'),
  evidence: z.record(z.string(), z.unknown()),
  detected_at: timestamp,
  last_seen_at: timestamp,
  resolved_at: timestamp.nullable(),
  dismissal_note: z.string().nullable().describe('Why a person dismissed it; null unless dismissed with a note'),
  updated_at: timestamp,
});

export type OpportunityRecord = z.infer<typeof opportunityRecord>;

/** One campaign's findings together, with the suggestions already waiting for a person on it. */
export const opportunityGroup = z.object({
  campaign_id: uuid,
  campaign_title: z.string(),
  severity: z.enum(OPPORTUNITY_SEVERITIES).describe('The most severe of its findings'),
  spend: z.number().describe('The campaign’s lifetime spend: the money at stake, which orders equal severities'),
  findings: z.array(opportunityRecord.omit({ campaign_title: true })),
  pending_actions: z
    .array(
      z.object({
        id: uuid,
        action_type: z.enum(ACTION_TYPES),
        expected_impact: z.string().nullable(),
        created_at: timestamp,
      }),
    )
    .describe('Suggestions on this campaign waiting for approval (GET /api/actions?status=pending)'),
});

export const opportunityGroups = z.object({
  data: z.array(opportunityGroup),
  total_campaigns: z.number().int().describe('How many campaigns match, of which `data` holds the first `limit`'),
});

export type OpportunityGroup = z.infer<typeof opportunityGroup>;
export type OpportunityGroups = z.infer<typeof opportunityGroups>;
