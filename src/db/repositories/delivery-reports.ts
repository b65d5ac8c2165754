// What a campaign's delivery came to, for GET /api/campaigns/{id}/delivery: the funnel of its
// recipients and the counts of its steps' variants, each one statement over campaign_recipients
// and campaign_messages (both keyed by tenant and campaign first), whatever the audience's size.
import type { SqlSession } from '../port.ts';
import { DELIVERABLE_ASSET } from './delivery-claims.ts';

export interface FunnelCounts {
  queued: number;
  sent: number;
  delivered: number;
  opened: number;
  clicked: number;
  replied: number;
  bounced: number;
  unsubscribed: number;
}

/** A funnel stage's rank: a recipient counts in the stage it reached and every one before it. */
const STATUS_RANK = `CASE r.status WHEN 'sent' THEN 1 WHEN 'delivered' THEN 2 WHEN 'opened' THEN 3
  WHEN 'clicked' THEN 4 WHEN 'replied' THEN 5 ELSE 0 END`;
const MESSAGE_RANK = `CASE WHEN replied_at IS NOT NULL THEN 5 WHEN clicked_at IS NOT NULL THEN 4
  WHEN opened_at IS NOT NULL THEN 3 WHEN delivered_at IS NOT NULL THEN 2 WHEN sent_at IS NOT NULL THEN 1 ELSE 0 END`;

/**
 * Each recipient's furthest point: the furthest of its messages' (their timestamps survive a later
 * bounce or unsubscribe, which overwrite the recipient's status) and of its recorded status.
 */
const FUNNEL = `
  WITH m AS (
    SELECT contact_id, max(${MESSAGE_RANK}) AS reached,
           bool_or(bounced_at IS NOT NULL OR status = 'bounced') AS bounced,
           bool_or(unsubscribed_at IS NOT NULL OR complained_at IS NOT NULL) AS unsubscribed
      FROM campaign_messages WHERE tenant_id = $1 AND campaign_id = $2
     GROUP BY contact_id
  ), per AS (
    SELECT greatest(coalesce(m.reached, 0), ${STATUS_RANK}) AS reached,
           coalesce(m.bounced, false) OR r.status = 'bounced' AS bounced,
           coalesce(m.unsubscribed, false) OR r.status = 'unsubscribed' AS unsubscribed
      FROM campaign_recipients r LEFT JOIN m ON m.contact_id = r.contact_id
     WHERE r.tenant_id = $1 AND r.campaign_id = $2
  )
  SELECT count(*)::int AS queued,
         count(*) FILTER (WHERE reached >= 1)::int AS sent,
         count(*) FILTER (WHERE reached >= 2)::int AS delivered,
         count(*) FILTER (WHERE reached >= 3)::int AS opened,
         count(*) FILTER (WHERE reached >= 4)::int AS clicked,
         count(*) FILTER (WHERE reached >= 5)::int AS replied,
         count(*) FILTER (WHERE bounced)::int AS bounced,
         count(*) FILTER (WHERE unsubscribed)::int AS unsubscribed
    FROM per`;

export async function deliveryFunnel(s: SqlSession, tenantId: string, campaignId: string): Promise<FunnelCounts> {
  const [row] = await s.query<FunnelCounts>(FUNNEL, [tenantId, campaignId]);
  return row!;
}

export interface VariantCountsRow {
  asset_id: string;
  name: string;
  step_index: number;
  channel: 'email' | 'sms';
  variant_id: string | null;
  label: string | null;
  status: 'active' | 'killed' | null;
  sends: number;
  delivered: number;
  opens: number;
  clicks: number;
  replies: number;
  bounces: number;
  unsubscribes: number;
}

/**
 * One row per step and variant (a step without variants: one row, its variant null), in step
 * order. The steps are the campaign's deliverable assets and any other asset messages went out for
 * (a step archived after it sent).
 */
const STEP_VARIANTS = `
  WITH m AS (
    SELECT asset_id, variant_id,
           count(*) FILTER (WHERE sent_at IS NOT NULL)::int AS sends,
           count(delivered_at)::int AS delivered,
           count(opened_at)::int AS opens,
           count(clicked_at)::int AS clicks,
           count(replied_at)::int AS replies,
           count(*) FILTER (WHERE bounced_at IS NOT NULL OR status = 'bounced')::int AS bounces,
           count(*) FILTER (WHERE unsubscribed_at IS NOT NULL OR complained_at IS NOT NULL)::int AS unsubscribes
      FROM campaign_messages WHERE tenant_id = $1 AND campaign_id = $2
     GROUP BY asset_id, variant_id
  ), steps AS (
    SELECT a.id, a.name, a.step_index, a.asset_type AS channel
      FROM content_assets a
     WHERE a.tenant_id = $1 AND a.campaign_id = $2
       AND ((${DELIVERABLE_ASSET}) OR a.id IN (SELECT asset_id FROM m))
  )
  SELECT st.id AS asset_id, st.name, st.step_index, st.channel,
         v.id AS variant_id, v.variant_label AS label, v.status,
         coalesce(m.sends, 0) AS sends, coalesce(m.delivered, 0) AS delivered, coalesce(m.opens, 0) AS opens,
         coalesce(m.clicks, 0) AS clicks, coalesce(m.replies, 0) AS replies, coalesce(m.bounces, 0) AS bounces,
         coalesce(m.unsubscribes, 0) AS unsubscribes
    FROM steps st
    LEFT JOIN content_variants v ON v.tenant_id = $1 AND v.asset_id = st.id
    LEFT JOIN m ON m.asset_id = st.id AND m.variant_id = v.id
   ORDER BY st.step_index, st.id, v.variant_label, v.id`;

export function stepVariantCounts(s: SqlSession, tenantId: string, campaignId: string) {
  return s.query<VariantCountsRow>(STEP_VARIANTS, [tenantId, campaignId]);
}
