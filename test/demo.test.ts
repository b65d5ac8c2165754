import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, SqlSession } from '../src/db/port.ts';
import { type DemoOptions, loadDemo } from '../src/demo/load-demo.ts';
import { freshDatabase } from './support/fresh-database.ts';
import { openTestDb } from './support/test-db.ts';

const base: Omit<DemoOptions, 'prefix'> = {
  tenants: 2,
  campaigns: 120,
  days: 30,
  seed: 7,
  contacts: 150,
  lastDay: '2026-11-20',
};

/** A digest of everything the generator wrote for tenants with this prefix. */
async function fingerprint(s: SqlSession, prefix: string): Promise<string> {
  const [row] = await s.query<{ digest: string }>(
    `SELECT md5(string_agg(line, '|' ORDER BY line)) AS digest FROM (
       SELECT concat_ws(',', t.slug, c.id, c.title, c.status, c.budget, c.channels::text, c.autopilot_enabled,
                        s.stat_date, s.channel, s.impressions, s.sends, s.opens, s.clicks, s.replies, s.meetings,
                        s.conversions, s.spend, s.revenue) AS line
         FROM tenants t JOIN campaigns c ON c.tenant_id = t.id
         LEFT JOIN campaign_channel_stats_daily s ON s.tenant_id = c.tenant_id AND s.campaign_id = c.id
        WHERE t.slug LIKE $1 || '%'
       UNION ALL
       SELECT concat_ws(',', v.id, v.variant_label, v.subject, v.sends, v.replies) FROM content_variants v
         JOIN tenants t ON t.id = v.tenant_id WHERE t.slug LIKE $1 || '%') lines`,
    [prefix],
  );
  return row!.digest;
}

describe('demo generator', () => {
  // A fixed slug: tenant data is drawn from (seed, slug), so the fixture is the same every run.
  // (Each run has a database of its own, so the slug cannot collide.)
  const prefix = 'demo-fixture';
  let db: Database;
  beforeAll(async () => {
    db = await openTestDb();
    await loadDemo(db, { ...base, prefix });
  });
  afterAll(() => db.close());

  it('is deterministic: the same seed gives the same data, another seed other data', async () => {
    const other = await freshDatabase();
    try {
      await loadDemo(other, { ...base, prefix });
      const expected = await db.session((s) => fingerprint(s, prefix));
      expect(await other.session((s) => fingerprint(s, prefix))).toBe(expected);
      await loadDemo(other, { ...base, seed: 8, prefix: `${prefix}x` });
      const reseeded = await other.session((s) => fingerprint(s, `${prefix}x`));
      expect(reseeded).not.toBe(expected);
    } finally {
      await other.close();
    }
  });

  it('writes tenants with campaigns, a month of 3-channel stats, contacts, segments and variants', async () => {
    const [counts] = await db.session((s) =>
      s.query<Record<string, number>>(
        `SELECT count(DISTINCT t.id)::int AS tenants,
                (SELECT count(*)::int FROM campaigns c JOIN tenants t2 ON t2.id = c.tenant_id WHERE t2.slug LIKE $1 || '%') AS campaigns,
                (SELECT count(*)::int FROM contacts c JOIN tenants t2 ON t2.id = c.tenant_id WHERE t2.slug LIKE $1 || '%') AS contacts,
                (SELECT count(*)::int FROM segments c JOIN tenants t2 ON t2.id = c.tenant_id WHERE t2.slug LIKE $1 || '%') AS segments,
                (SELECT count(*)::int FROM content_variants c JOIN tenants t2 ON t2.id = c.tenant_id WHERE t2.slug LIKE $1 || '%') AS variants,
                (SELECT count(DISTINCT (s.campaign_id, s.channel))::int FROM campaign_channel_stats_daily s
                   JOIN tenants t2 ON t2.id = s.tenant_id WHERE t2.slug LIKE $1 || '%') AS campaign_channels,
                (SELECT count(DISTINCT s.campaign_id)::int FROM campaign_channel_stats_daily s
                   JOIN tenants t2 ON t2.id = s.tenant_id WHERE t2.slug LIKE $1 || '%') AS campaigns_with_stats,
                (SELECT max(s.stat_date)::text FROM campaign_channel_stats_daily s
                   JOIN tenants t2 ON t2.id = s.tenant_id WHERE t2.slug LIKE $1 || '%') AS last_day
           FROM tenants t WHERE t.slug LIKE $1 || '%'`,
        [prefix],
      ),
    );
    expect(counts).toMatchObject({
      tenants: 2,
      campaigns: 240,
      contacts: 300,
      segments: 6,
      variants: 960,
      last_day: '2026-11-20',
    });
    // Every campaign that has started has all three of its channels.
    expect(counts!.campaign_channels).toBe(counts!.campaigns_with_stats! * 3);
    expect(counts!.campaigns_with_stats).toBeGreaterThan(200);
  });

  it('mixes losing, break-even, winning and fatiguing campaigns, with lognormal (right-skewed) spend', async () => {
    const rows = await db.session((s) =>
      s.query<{
        spend: string;
        roi: string | null;
        ctr_change: string | null;
        reply_rate: string | null;
        sends: number;
      }>(
        `SELECT sum(spend) AS spend, sum(revenue) / nullif(sum(spend), 0) AS roi,
                (sum(clicks) FILTER (WHERE stat_date > '2026-11-13')::numeric / nullif(sum(impressions) FILTER (WHERE stat_date > '2026-11-13'), 0))
              / nullif(sum(clicks) FILTER (WHERE stat_date BETWEEN '2026-11-07' AND '2026-11-13')::numeric
                       / nullif(sum(impressions) FILTER (WHERE stat_date BETWEEN '2026-11-07' AND '2026-11-13'), 0), 0) - 1 AS ctr_change,
                sum(replies)::numeric / nullif(sum(sends), 0) AS reply_rate, sum(sends)::int AS sends
           FROM campaign_channel_stats_daily s JOIN tenants t ON t.id = s.tenant_id
          WHERE t.slug LIKE $1 || '%' GROUP BY s.campaign_id HAVING count(DISTINCT stat_date) = 30`,
        [prefix],
      ),
    );
    const rois = rows.map((r) => Number(r.roi ?? 0));
    expect(rois.filter((roi) => roi < 0.8).length).toBeGreaterThan(10);
    expect(rois.filter((roi) => roi >= 0.9 && roi <= 1.3).length).toBeGreaterThan(10);
    expect(rois.filter((roi) => roi >= 3).length).toBeGreaterThan(10);
    const fatigued = rows.filter((r) => r.ctr_change !== null && Number(r.ctr_change) < -0.3);
    expect(fatigued.length).toBeGreaterThan(5);
    expect(rows.some((r) => r.sends >= 50 && Number(r.reply_rate) < 0.01)).toBe(true);
    const spends = rows.map((r) => Number(r.spend)).sort((a, b) => a - b);
    const mean = spends.reduce((a, b) => a + b, 0) / spends.length;
    expect(mean).toBeGreaterThan(spends[Math.floor(spends.length / 2)]!);
  });

  it('gives variants of one step unequal reply rates', async () => {
    const pairs = await db.session((s) =>
      s.query<{ ratio: string }>(
        `SELECT (max(replies::numeric / nullif(sends, 0)) / nullif(min(replies::numeric / nullif(sends, 0)), 0)) AS ratio
           FROM content_variants v JOIN tenants t ON t.id = v.tenant_id
          WHERE t.slug LIKE $1 || '%' AND v.sends >= 500 GROUP BY v.asset_id`,
        [prefix],
      ),
    );
    const ratios = pairs.map((p) => Number(p.ratio)).filter(Number.isFinite);
    expect(ratios.filter((r) => r > 1.5).length).toBeGreaterThan(ratios.length / 4);
  });

  it('skips tenants that exist instead of duplicating them', async () => {
    const again = await loadDemo(db, { ...base, prefix });
    expect(again.created).toEqual([]);
    expect(again.skipped).toEqual([prefix, `${prefix}-2`]);
  });
});
