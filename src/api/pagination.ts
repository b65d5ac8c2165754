// Cursor pagination: a page is the rows after the cursor in a fixed order (newest first, id as the
// tie-break), so pages stay stable while rows are added, and a deep page costs what the first does.
// The cursor is opaque to clients: base64url of the last row's sort key.
import { z } from 'zod';
import type { Page } from '../contract/page.ts';
import type { Keyset } from '../domain/keyset.ts';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/** A timestamp as Postgres prints it (`2026-11-21 10:00:00.123456+00`): the sort key we hand out. */
const sortKey = z.string().regex(/^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d{1,6})?([+-]\d\d(:\d\d)?|Z)$/);
const cursorShape = z.tuple([sortKey, z.uuid()]);

const cursorParam = z
  .string()
  .max(200)
  .transform((text, ctx): Keyset => {
    try {
      const [after, id] = cursorShape.parse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
      return { after, id };
    } catch {
      ctx.addIssue({ code: 'custom', message: 'is not a cursor this API gave out' });
      return z.NEVER;
    }
  });

export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  cursor: cursorParam.optional(),
};

export function encodeCursor(cursor: Keyset): string {
  return Buffer.from(JSON.stringify([cursor.after, cursor.id])).toString('base64url');
}

/** Rows were fetched with `limit + 1` (the extra row only tells that another page exists), each
 * with its `sort_key`, which the page drops. */
export function toPage<Row extends { id: string; sort_key: string }>(
  rows: Row[],
  limit: number,
): Page<Omit<Row, 'sort_key'>> {
  return {
    data: rows.slice(0, limit).map(({ sort_key: _, ...row }) => row),
    next_cursor: nextCursor(rows, limit),
  };
}

/**
 * The same page as JSON text, from rows whose query built each one's JSON (`json`): the page is
 * put together as text, never parsed here.
 */
export function toJsonPage(rows: readonly { id: string; sort_key: string; json: string }[], limit: number): string {
  const data = rows.slice(0, limit).map((row) => row.json);
  return `{"data":[${data.join(',')}],"next_cursor":${JSON.stringify(nextCursor(rows, limit))}}`;
}

function nextCursor(rows: readonly { id: string; sort_key: string }[], limit: number): string | null {
  const last = rows[limit - 1];
  return rows.length > limit && last ? encodeCursor({ after: last.sort_key, id: last.id }) : null;
}
