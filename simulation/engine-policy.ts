// The real engine as a policy: the simulated reports go into the database through the ingestion
// upsert (stamped with the evening they were reported, so the engine measures the attribution lag
// from their revisions as it would from a platform's), and each evening runCycle decides with the
// clock set to that evening. What the engine did is read back from the cycle's own report.
import { randomBytes } from 'node:crypto';
import type { Database } from '../src/db/port.ts';
import { upsertStats } from '../src/db/repositories/stats.ts';
import type { StatRow } from '../src/domain/metrics.ts';
import { runCycle } from '../src/engine/cycle.ts';
import { dateOf, momentOf, type Policy, type SimAction } from './market.ts';

export interface EnginePolicyOptions {
  pauseOnly?: boolean;
  /** Tenant settings (guardrails); the defaults when absent. */
  settings?: object;
}

const KIND: Record<string, SimAction['kind'] | undefined> = {
  auto_pause: 'pause',
  auto_scale_up: 'scale',
  auto_resume: 'resume',
};

export function enginePolicy(db: Database, options: EnginePolicyOptions = {}): Policy {
  let tenantId = '';
  const idOf: string[] = [];
  const indexOf = new Map<string, number>();
  return {
    name: 'engine',
    async start(market) {
      await db.transaction(async (s) => {
        const slug = `sim-${randomBytes(5).toString('hex')}`;
        const [tenant] = await s.query<{ id: string }>(
          'INSERT INTO tenants (slug, name, settings) VALUES ($1, $1, $2) RETURNING id',
          [slug, JSON.stringify(options.settings ?? {})],
        );
        tenantId = tenant!.id;
        const [workspace] = await s.query<{ id: string }>(
          "INSERT INTO workspaces (tenant_id, slug, name) VALUES ($1, 'main', 'Main') RETURNING id",
          [tenantId],
        );
        const rows = await s.query<{ id: string; title: string }>(
          `INSERT INTO campaigns (tenant_id, workspace_id, title, status, budget, autopilot_enabled, channels, started_at, created_at)
           SELECT $1, $2, c.title, 'active', c.budget, true, ARRAY[c.channel], c.started, c.started
             FROM unnest($3::text[], $4::numeric[], $5::text[], $6::timestamptz[]) AS c (title, budget, channel, started)
           RETURNING id, title`,
          [
            tenantId,
            workspace!.id,
            market.campaigns.map((c) => `sim-${c.index}`),
            market.campaigns.map((c) => c.baseBudget),
            market.campaigns.map((c) => c.channel),
            market.campaigns.map((c) => momentOf(c.launchDay, 0).toISOString()),
          ],
        );
        for (const row of rows) {
          const index = Number(row.title.slice(4));
          idOf[index] = row.id;
          indexOf.set(row.id, index);
        }
        if (options.pauseOnly) {
          await s.query("UPDATE autonomous_rules SET is_active = false WHERE tenant_id = $1 AND rule_type = 'scale'", [
            tenantId,
          ]);
        }
      });
    },
    async observe(market, day) {
      const rows: StatRow[] = [];
      for (const statDay of market.revisedDays(day)) {
        for (const c of market.campaigns) {
          const r = market.reported(c.index, statDay, day);
          if (!r) continue;
          rows.push({
            campaign_id: idOf[c.index]!,
            stat_date: dateOf(statDay),
            channel: c.channel,
            impressions: r.impressions,
            clicks: r.clicks,
            conversions: r.conversions,
            spend: r.spend,
            revenue: r.revenue,
            sends: 0,
            opens: 0,
            replies: 0,
            meetings: 0,
          });
        }
      }
      if (rows.length > 0) await db.transaction((s) => upsertStats(s, tenantId, rows, momentOf(day, 23)));
    },
    async decide(_market, day) {
      const result = await runCycle(db, tenantId, { now: momentOf(day, 23.5), triggeredBy: 'schedule' });
      return result.decisions.flatMap((d): SimAction[] => {
        const kind = KIND[d.action_type];
        const campaign = indexOf.get(d.campaign_id);
        if (!kind || campaign === undefined) return [];
        return [{ campaign, kind, mode: d.mode, confidence: d.confidence, budget: d.new_state.budget, rule: d.rule }];
      });
    },
  };
}
