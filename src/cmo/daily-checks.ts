// The daily loop's checks beside optimizing (mode full), each one statement per tenant:
//   stale content: active assets of live campaigns whose content (the asset or any of its
//     variants) has not been updated for `stale_after_days`; flagged once (stale_flagged_at), and
//     flagged again only after a later update goes stale in its turn. The loop has read every
//     asset's age already: only the ones that were old then are looked at again, by key;
//   underperforming: live campaigns with `underperforming_min_sends`+ sends and a reply rate below
//     `underperforming_reply_rate` (the seed: 50+ sends and < 1%), one alert per campaign until a
//     person resolves it.
// Each raises an alert with a dedupe key, so running the loop twice a day raises nothing twice.

import type { LoopSettings } from '../contract/tenant-settings.ts';
import type { SqlSession } from '../db/port.ts';
import { DAY_MS } from '../domain/day.ts';
import { LIVE_STATUSES } from './loop-inputs.ts';

/**
 * The assets whose content had not changed for `stale_after_days` when the loop read it: the only
 * ones that can be stale now, since a change only makes content younger. flagStaleContent checks
 * each again against the rows as they are (this run's own changes included).
 */
export function staleCandidates(contentUpdatedAt: Map<string, string>, settings: LoopSettings, now: Date): string[] {
  // The ages are whole seconds (loop-inputs.ts): the bound is rounded up to one and written the
  // same way, so an age just under the exact bound is never left out (the SQL decides exactly).
  const bound = Math.ceil((now.getTime() - settings.stale_after_days * DAY_MS) / 1000) * 1000;
  const before = new Date(bound).toISOString().replace('.000Z', 'Z');
  const ids: string[] = [];
  for (const [assetId, updatedAt] of contentUpdatedAt) if (updatedAt < before) ids.push(assetId);
  return ids;
}

export async function flagStaleContent(
  s: SqlSession,
  tenantId: string,
  settings: LoopSettings,
  now: Date,
  candidates: readonly string[],
): Promise<string[]> {
  if (candidates.length === 0) return [];
  const rows = await s.query<{ id: string }>(
    `WITH variant_age AS (
       SELECT asset_id, max(updated_at) AS updated_at FROM content_variants
        WHERE tenant_id = $1 AND asset_id = ANY($5::uuid[]) GROUP BY asset_id),
     content_age AS (
       SELECT a.id, a.campaign_id, a.name, c.title, greatest(a.updated_at, va.updated_at) AS content_updated_at
         FROM content_assets a
         JOIN campaigns c ON c.tenant_id = a.tenant_id AND c.id = a.campaign_id
         LEFT JOIN variant_age va ON va.asset_id = a.id
        WHERE a.tenant_id = $1 AND a.id = ANY($5::uuid[]) AND a.status = 'active' AND c.status = ANY($2::text[])),
     stale AS (
       UPDATE content_assets a SET stale_flagged_at = $3
         FROM content_age ca
        WHERE a.tenant_id = $1 AND a.id = ca.id
          AND ca.content_updated_at < $3::timestamptz - make_interval(days => $4)
          AND (a.stale_flagged_at IS NULL OR a.stale_flagged_at < ca.content_updated_at)
       RETURNING a.id, ca.campaign_id, ca.name, ca.title, ca.content_updated_at),
     raised AS (
     INSERT INTO alerts (tenant_id, campaign_id, alert_type, severity, message, details, dedupe_key, created_at)
     SELECT $1, campaign_id, 'stale_content', 'low',
            title || ': "' || name || '" has not been updated since ' || to_char(content_updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'),
            jsonb_build_object('asset_id', id, 'content_updated_at', content_updated_at, 'stale_after_days', $4),
            'stale_content:' || id || ':' || content_updated_at, $3
       FROM stale
     ON CONFLICT (tenant_id, dedupe_key) DO NOTHING)
     SELECT id FROM stale`,
    [tenantId, LIVE_STATUSES, now.toISOString(), settings.stale_after_days, candidates],
  );
  return rows.map((row) => row.id);
}

export async function raiseUnderperformingAlerts(
  s: SqlSession,
  tenantId: string,
  settings: LoopSettings,
  now: Date,
): Promise<string[]> {
  const rows = await s.query<{ campaign_id: string }>(
    `WITH metrics AS (
       SELECT c.id, c.title,
              coalesce(r.sends, m.sends, 0) AS sends, coalesce(r.replies, m.replies, 0) AS replies
         FROM campaigns c
         LEFT JOIN campaign_rollups r ON r.tenant_id = c.tenant_id AND r.campaign_id = c.id
         LEFT JOIN campaign_metrics m ON m.tenant_id = c.tenant_id AND m.campaign_id = c.id
        WHERE c.tenant_id = $1 AND c.status = ANY($2::text[]))
     INSERT INTO alerts (tenant_id, campaign_id, alert_type, severity, message, details, dedupe_key, created_at)
     SELECT $1, id, 'underperforming', 'medium',
            title || ': ' || replies || ' replies from ' || sends || ' sends ('
              || round(100.0 * replies / sends, 2) || '% reply rate, below ' || round(100.0 * $5::numeric, 2) || '%)',
            jsonb_build_object('sends', sends, 'replies', replies, 'reply_rate', round(replies::numeric / sends, 5),
                               'threshold', $5::numeric, 'min_sends', $4::int),
            'underperforming:' || id || ':' || to_char($3::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD'), $3
       FROM metrics
      WHERE sends >= $4 AND replies::numeric / sends < $5
        AND NOT EXISTS (SELECT 1 FROM alerts al
                         WHERE al.tenant_id = $1 AND al.alert_type = 'underperforming' AND al.campaign_id = metrics.id
                           AND al.status <> 'resolved')
     ON CONFLICT (tenant_id, dedupe_key) DO NOTHING
     RETURNING campaign_id`,
    [
      tenantId,
      LIVE_STATUSES,
      now.toISOString(),
      settings.underperforming_min_sends,
      settings.underperforming_reply_rate,
    ],
  );
  return rows.map((row) => row.campaign_id);
}
