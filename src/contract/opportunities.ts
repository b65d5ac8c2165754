// An optimization opportunity as the opportunities API answers it.
import { z } from 'zod';
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
  updated_at: timestamp,
});

export type OpportunityRecord = z.infer<typeof opportunityRecord>;
