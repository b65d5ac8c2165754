// Segments and their stored membership, for /api/segments: a name is unique in its workspace,
// adding a member again changes nothing, contacts named that do not exist are reported, and a
// campaign's audience is not deleted.
import type { Database, SqlSession } from '../db/port.ts';
import { type ContactFilter, listContacts } from '../db/repositories/contacts.ts';
import * as segments from '../db/repositories/segments.ts';
import { ConflictError, NotFoundError } from '../domain/errors.ts';
import { workspaceOrDefault } from './workspaces.ts';

async function mustGet(s: SqlSession, tenantId: string, id: string): Promise<segments.SegmentRow> {
  const row = await segments.getSegment(s, tenantId, id);
  if (!row) throw new NotFoundError(`no segment ${id}`);
  return row;
}

async function mustExist(s: SqlSession, tenantId: string, id: string): Promise<void> {
  if (!(await segments.segmentExists(s, tenantId, id))) throw new NotFoundError(`no segment ${id}`);
}

/** A write that may reuse a name of the workspace: that is a conflict naming `name`. */
async function nameMustBeFree<T>(name: string | undefined, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if ((error as { constraint?: unknown }).constraint === segments.SEGMENT_NAME_CONSTRAINT) {
      throw new ConflictError(`the workspace has a segment named ${JSON.stringify(name)} already`, [
        { field: 'name', in: 'body', message: 'already taken in this workspace' },
      ]);
    }
    throw error;
  }
}

export function listSegments(db: Database, tenantId: string, filter: segments.SegmentFilter) {
  return db.session((s) => segments.listSegments(s, tenantId, filter));
}

export function getSegment(db: Database, tenantId: string, id: string) {
  return db.session((s) => mustGet(s, tenantId, id));
}

/** Without a workspace the segment goes to the tenant's first. */
export function createSegment(
  db: Database,
  tenantId: string,
  fields: segments.SegmentFields & { name: string; workspace_id?: string },
) {
  return db.transaction(async (s) => {
    const workspace = await workspaceOrDefault(s, tenantId, fields.workspace_id);
    const id = await nameMustBeFree(fields.name, () =>
      segments.insertSegment(s, tenantId, { ...fields, workspace_id: workspace }),
    );
    return mustGet(s, tenantId, id);
  });
}

export function updateSegment(db: Database, tenantId: string, id: string, fields: segments.SegmentFields) {
  return db.transaction(async (s) => {
    const found = await nameMustBeFree(fields.name, () => segments.updateSegment(s, tenantId, id, fields));
    if (!found) throw new NotFoundError(`no segment ${id}`);
    return mustGet(s, tenantId, id);
  });
}

/**
 * Deletes the segment with its memberships; the contacts stay. A segment that is a campaign's
 * audience stays too (409 naming the campaigns): the campaign would lose who it sends to.
 */
export function deleteSegment(db: Database, tenantId: string, id: string) {
  return db.transaction(async (s) => {
    await mustExist(s, tenantId, id);
    const users = await segments.campaignsUsing(s, tenantId, id);
    if (users.length > 0) {
      const titles = users.map((c) => JSON.stringify(c.title)).join(', ');
      throw new ConflictError(
        `the segment is the audience of ${users.length === 1 ? 'campaign' : 'campaigns'} ${titles}: give ${users.length === 1 ? 'it' : 'them'} another audience first`,
      );
    }
    await segments.deleteSegment(s, tenantId, id);
  });
}

export function listMembers(db: Database, tenantId: string, id: string, filter: Omit<ContactFilter, 'segment_id'>) {
  return db.session(async (s) => {
    await mustExist(s, tenantId, id);
    return listContacts(s, tenantId, { ...filter, segment_id: id });
  });
}

/** Adds the contacts named by id or email; those naming no contact are reported, the others added all the same. */
export function addMembers(db: Database, tenantId: string, id: string, contactIds: string[], emails: string[]) {
  return db.transaction(async (s) => {
    await mustExist(s, tenantId, id);
    const outcome = await segments.addMembers(s, tenantId, id, contactIds, emails);
    const { member_count } = await mustGet(s, tenantId, id);
    return {
      added: outcome.added,
      already_members: outcome.already,
      not_found: { contact_ids: outcome.missingIds, emails: outcome.missingEmails },
      member_count,
    };
  });
}

export function removeMembers(db: Database, tenantId: string, id: string, contactIds: string[]) {
  return db.transaction(async (s) => {
    await mustExist(s, tenantId, id);
    const removed = await segments.removeMembers(s, tenantId, id, contactIds);
    const { member_count } = await mustGet(s, tenantId, id);
    return { removed, member_count };
  });
}
