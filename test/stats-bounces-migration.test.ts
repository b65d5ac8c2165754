// Migration 0037 adds bounces to campaign_channel_stats_daily. On a database that delivered before
// it, the bounces already recorded on messages are counted into the stats (each message once, on
// its bounce's day, the stats' report time untouched), and the weekly summaries stored before say
// bounces were not measured (null) rather than zero.
import { afterAll, describe, expect, it } from 'vitest';
import { migrate, readMigrations } from '../src/db/migrate.ts';
import type { SystemDatabase } from '../src/db/port.ts';
import { launchedCampaign, senderTenant } from './support/delivery-world.ts';
import { freshDatabase } from './support/fresh-database.ts';

const BOUNCES_MIGRATION = 37;

describe('migration 0037 on a database that delivered before it', () => {
  let db: SystemDatabase | undefined;
  afterAll(() => db?.close());

  it('counts the bounces already recorded and marks older summaries unmeasured', async () => {
    db = await freshDatabase(readMigrations().filter((m) => m.version < BOUNCES_MIGRATION));
    const t = await senderTenant(db, {});
    const w = await launchedCampaign(db, t, {
      contacts: [{ email: 'a@example.com' }, { email: 'b@example.com' }, { email: 'c@example.com' }],
      steps: [{ channel: 'email', variants: [{ label: 'A', subject: 'Hi', body: 'Hello' }] }],
    });
    const reportedAt = '2026-11-30T12:00:00Z';
    await db.session(async (s) => {
      // Two messages bounced on two days, one sent without a bounce; the stats of the first day
      // were reported before (a send counted), the second day has no stats row yet.
      await s.query(
        `INSERT INTO campaign_messages (tenant_id, campaign_id, contact_id, step_index, asset_id, variant_id, channel,
                                        to_address, status, sent_at, bounced_at)
         SELECT $1, $2, c.id, 0, $3, $4, 'email', c.email, d.status, d.sent_at, d.bounced_at
           FROM unnest($5::uuid[], $6::text[], $7::timestamptz[], $8::timestamptz[]) AS d (contact_id, status, sent_at, bounced_at)
           JOIN contacts c ON c.tenant_id = $1 AND c.id = d.contact_id`,
        [
          t.tenantId,
          w.campaignId,
          w.steps[0]!.assetId,
          w.steps[0]!.variants.A,
          w.contactIds,
          ['bounced', 'bounced', 'sent'],
          ['2026-12-01T09:00:00Z', null, '2026-12-01T09:00:00Z'],
          ['2026-12-01T09:05:00Z', '2026-12-02T23:30:00Z', null],
        ],
      );
      await s.query(
        `INSERT INTO campaign_channel_stats_daily (tenant_id, campaign_id, stat_date, channel, sends, updated_at)
         VALUES ($1, $2, '2026-12-01', 'email', 2, $3)`,
        [t.tenantId, w.campaignId, reportedAt],
      );
      await s.query(
        `INSERT INTO weekly_summaries (tenant_id, week_start, week_end, summary, report_markdown)
         VALUES ($1, '2026-11-23', '2026-11-29', '{"totals": {"sends": {"this_week": 2, "previous_week": 0, "change": 2, "change_pct": null}}}', '')`,
        [t.tenantId],
      );
    });

    await migrate(db);

    const stats = await db.session((s) =>
      s.query<{ stat_date: string; sends: number; bounces: number; updated_at: Date }>(
        `SELECT stat_date::text, sends::int, bounces::int, updated_at FROM campaign_channel_stats_daily
          WHERE tenant_id = $1 AND campaign_id = $2 ORDER BY stat_date`,
        [t.tenantId, w.campaignId],
      ),
    );
    expect(stats.map(({ stat_date, sends, bounces }) => ({ stat_date, sends, bounces }))).toEqual([
      { stat_date: '2026-12-01', sends: 2, bounces: 1 },
      { stat_date: '2026-12-02', sends: 0, bounces: 1 },
    ]);
    expect(stats[0]!.updated_at.toISOString()).toBe(new Date(reportedAt).toISOString());
    const [summary] = await db.session((s) =>
      s.query<{ totals: Record<string, unknown> }>(
        "SELECT summary->'totals' AS totals FROM weekly_summaries WHERE tenant_id = $1",
        [t.tenantId],
      ),
    );
    expect(summary!.totals).toEqual({
      sends: { this_week: 2, previous_week: 0, change: 2, change_pct: null },
      bounces: { this_week: null, previous_week: null, change: null, change_pct: null },
    });
  });
});
