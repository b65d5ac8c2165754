// A tenant's workspace as the workspaces API answers it.
import { z } from 'zod';
import { timestamp, uuid } from './fields.ts';

export const workspaceRecord = z.object({
  id: uuid,
  slug: z.string(),
  name: z.string(),
  created_at: timestamp,
  updated_at: timestamp,
});
/** The tenant's workspaces, oldest first. */
export const workspaceList = z.object({ data: z.array(workspaceRecord) });

export type WorkspaceRecord = z.infer<typeof workspaceRecord>;
export type WorkspaceList = z.infer<typeof workspaceList>;
