// /api/cycles/running: whose cycle runs now for the caller's tenant, and since when; and, for an
// admin, ending a stuck one. Its work is rolled back (on a server its connection is terminated;
// in the embedded database it stops at its next statement) and the tenant's lock is released.
import { z } from 'zod';
import { cycleLockKey } from '../engine/cycle.ts';
import type { ApiRouter } from './router.ts';

const running = z.object({
  running: z.boolean(),
  holder: z.string().nullable().describe('Who runs it: "cycle via api", "cycle via cli", "cycle via schedule"'),
  since: z.string().nullable().describe('When it took the tenant’s cycle lock (ISO 8601)'),
  pid: z.number().int().nullable().describe('The server process that holds it; null in the embedded database'),
});

export function cycleLockRoutes(api: ApiRouter): void {
  const tag = 'Cycles';

  api.tenant(
    {
      method: 'get',
      path: '/api/cycles/running',
      tag,
      summary: 'Whether a cycle runs now for the tenant, who runs it and since when',
      access: 'viewer',
      responses: { 200: { description: 'The running cycle, if any', schema: running } },
    },
    async ({ c, db, principal }) => {
      const holder = await db.locks.holder(cycleLockKey(principal.tenantId));
      return c.json({
        running: holder !== undefined,
        holder: holder?.holder ?? null,
        since: holder && !Number.isNaN(holder.since.getTime()) ? holder.since.toISOString() : null,
        pid: holder?.pid ?? null,
      });
    },
  );

  api.tenant(
    {
      method: 'delete',
      path: '/api/cycles/running',
      tag,
      summary: 'Cancel the tenant’s running cycle',
      description:
        'Its work is rolled back and the tenant’s cycle lock released; the next cycle decides afresh. Answers whether a cycle was running.',
      access: 'admin',
      responses: {
        200: { description: 'Whether a cycle was cancelled', schema: z.object({ cancelled: z.boolean() }) },
      },
    },
    async ({ c, db, principal }) => c.json({ cancelled: await db.locks.cancel(cycleLockKey(principal.tenantId)) }),
  );
}
