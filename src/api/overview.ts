// /api/overview: the dashboard's stat cards, read in one statement.
import { z } from 'zod';
import { overview } from '../db/repositories/overview.ts';
import type { ApiRouter } from './router.ts';
import { timestamp } from './schemas.ts';

const card = (description: string) => z.number().int().min(0).describe(description);

const overviewSchema = z.object({
  days: z.number().int(),
  since: timestamp.describe('The start of the window the action counts cover'),
  total_actions: card('Decisions the engine recorded in the window: executed, suggested, dismissed or rolled back'),
  campaigns_paused: card('Pauses carried out in the window (by a cycle or an approval), rolled back since or not'),
  campaigns_scaled: card('Budget increases carried out in the window'),
  campaigns_posted: card('Social posts queued in the window'),
  notifications_sent: card('Alerts raised by notify rules in the window'),
  rolled_back: card('Actions of the window a person rolled back'),
  average_confidence: z
    .number()
    .min(0)
    .max(1)
    .nullable()
    .describe('Mean confidence of the actions carried out in the window; null when there were none'),
  pending_suggestions: card('Suggestions waiting for a person, however old'),
  open_opportunities: card('Opportunities nobody has started on'),
  opportunities_in_progress: card('Opportunities someone is working on'),
  last_cycle_at: timestamp.nullable().describe('When the last cycle started; null before the first'),
  last_cycle_status: z.enum(['running', 'completed', 'failed']).nullable(),
});

export function overviewRoutes(api: ApiRouter): void {
  api.tenant(
    {
      method: 'get',
      path: '/api/overview',
      tag: 'Overview',
      summary: 'The dashboard’s figures',
      description:
        'Action counts cover the last `days` days (by when the action was recorded); the backlog is current.',
      access: 'viewer',
      query: z.strictObject({ days: z.coerce.number().int().min(1).max(365).default(30) }),
      responses: { 200: { description: 'The stat cards', schema: overviewSchema } },
    },
    async ({ c, db, principal, query }) => {
      const row = await db.session((s) => overview(s, principal.tenantId, query.days));
      return c.json({ days: query.days, ...row });
    },
  );
}
