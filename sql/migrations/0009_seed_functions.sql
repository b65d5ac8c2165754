-- The seeds' troubleshooting functions, so that their SQL runs unchanged against Nightshift.
-- Read-only views of the same performance data the engine uses; acting stays with the engine
-- (its ledger, guardrails and confidence).

CREATE FUNCTION identify_underperforming_campaigns(p_min_spend numeric DEFAULT 50, p_max_roi numeric DEFAULT 1.0,
                                                   p_min_hours numeric DEFAULT 24)
RETURNS TABLE (tenant_id uuid, campaign_id uuid, title text, roi numeric, total_spend numeric, ctr numeric,
               hours_running numeric, recommendation text)
LANGUAGE sql STABLE AS $$
  SELECT cp.tenant_id, cp.campaign_id, cp.title, cp.roi, cp.total_spend, cp.ctr, cp.hours_running,
         CASE WHEN coalesce(cp.roi, 0) < 0.5 THEN 'CRITICAL - Pause immediately'
              ELSE 'Pause recommended: ROI below ' || p_max_roi::text END
    FROM campaign_performance cp
   WHERE cp.status = 'active' AND cp.total_spend >= p_min_spend AND coalesce(cp.roi, 0) < p_max_roi
     AND cp.hours_running >= p_min_hours
   ORDER BY coalesce(cp.roi, 0), cp.total_spend DESC
$$;

-- p_max_scale bounds the suggestion as a multiple of the current budget (the engine's own
-- guardrail caps any single change at x2 regardless).
CREATE FUNCTION identify_scaling_candidates(p_min_roi numeric DEFAULT 3.0, p_min_conversions integer DEFAULT 10,
                                            p_max_scale numeric DEFAULT 2.0)
RETURNS TABLE (tenant_id uuid, campaign_id uuid, title text, roi numeric, conversions bigint, total_spend numeric,
               current_budget numeric, suggested_budget numeric)
LANGUAGE sql STABLE AS $$
  SELECT cp.tenant_id, cp.campaign_id, cp.title, cp.roi, cp.conversions, cp.total_spend, cp.budget,
         round(least(cp.budget * CASE WHEN cp.roi >= 4 THEN 2.0 ELSE 1.5 END,
                     cp.budget * least(p_max_scale, 2.0),
                     coalesce(cp.max_budget, cp.budget * 2.0)), 2)
    FROM campaign_performance cp
   WHERE cp.status = 'active' AND cp.roi >= p_min_roi AND cp.conversions >= p_min_conversions
   ORDER BY cp.roi DESC
$$;

-- Detection runs in every autonomous cycle; this returns what is currently open.
CREATE FUNCTION detect_optimization_opportunities()
RETURNS TABLE (tenant_id uuid, opportunity_id uuid, campaign_id uuid, opportunity_type text, severity text,
               description text, suggested_action text, confidence_score numeric, status text, detected_at timestamptz)
LANGUAGE sql STABLE AS $$
  SELECT o.tenant_id, o.id, o.campaign_id, o.opportunity_type, o.severity, o.description, o.suggested_action,
         o.confidence_score, o.status, o.detected_at
    FROM optimization_opportunities o
   WHERE o.status IN ('open', 'in_progress')
   ORDER BY CASE o.severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END, o.detected_at DESC
$$;
