// A segment as the segments API answers it (src/api/segments.ts), and what a change of its members
// did; the campaign form's audience choice and the Contacts tab's segments read them with these types.
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

/** What adding members changed (POST /api/segments/{id}/members). */
export const segmentMembersAdded = z.object({
  added: z.number().int().describe('Contacts that became members now'),
  already_members: z.number().int(),
  not_found: z.object({ contact_ids: z.array(uuid), emails: z.array(z.string()) }),
  member_count: z.number().int(),
});

/** What removing members changed (DELETE /api/segments/{id}/members). */
export const segmentMembersRemoved = z.object({
  removed: z.number().int().describe('Contacts that were members and are not any more'),
  member_count: z.number().int(),
});
export type SegmentMembersAdded = z.output<typeof segmentMembersAdded>;
export type SegmentMembersRemoved = z.output<typeof segmentMembersRemoved>;
