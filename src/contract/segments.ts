// A segment as the segments API answers it (src/api/segments.ts); the campaign form's audience
// choice reads it with this type.
import { z } from 'zod';
import { timestamp, uuid } from './fields.ts';

export const segmentRecord = z.object({
  id: uuid,
  workspace_id: uuid,
  name: z.string(),
  description: z.string().nullable(),
  definition: z.record(z.string(), z.unknown()),
  member_count: z.number().int(),
  created_at: timestamp,
  updated_at: timestamp,
});

export type SegmentRecord = z.infer<typeof segmentRecord>;
