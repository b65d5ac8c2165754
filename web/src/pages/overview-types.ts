// The Overview page's answers, as src/api/overview.ts and src/api/cycles.ts declare them.

export interface OverviewFigures {
  days: number;
  since: string;
  total_actions: number;
  campaigns_paused: number;
  campaigns_scaled: number;
  campaigns_posted: number;
  notifications_sent: number;
  rolled_back: number;
  average_confidence: number | null;
  pending_suggestions: number;
  open_opportunities: number;
  opportunities_in_progress: number;
  last_cycle_at: string | null;
  last_cycle_status: 'running' | 'completed' | 'failed' | null;
}

interface Decided {
  campaign_id: string;
  title: string;
  roi: number | null;
  budget: number;
  confidence: number;
  rule: string;
  reason: string;
  mode: 'execute' | 'suggest';
}

export interface UnderperformingCampaign extends Decided {
  spend: number;
  ctr: number | null;
  hours_running: number | null;
  recommendation: string;
}

export interface ScalingCampaign extends Decided {
  suggested_budget: number;
}

export interface OverviewCampaigns {
  underperforming: UnderperformingCampaign[];
  scaling: ScalingCampaign[];
  evaluated_at: string;
}

export interface OverviewTrend {
  days: number;
  currency: string;
  daily: { date: string; spend: number; revenue: number }[];
  roi_distribution: { label: string; from: number | null; to: number | null; campaigns: number }[];
}

export interface GuardrailStop {
  campaign_id: string;
  title: string;
  rule: string;
  guardrail: string;
  detail: string;
}

interface CampaignState {
  status: string;
  budget: number;
  roi: number | null;
  platforms?: string[];
}

export interface CycleDecision {
  campaign_id: string;
  title: string;
  rule: string;
  action_type: 'auto_pause' | 'auto_scale_up' | 'auto_resume' | 'auto_post' | 'notify';
  mode: 'execute' | 'suggest';
  previous_state: CampaignState;
  new_state: CampaignState;
  confidence: number;
  reason: string;
}

export interface CycleResult {
  success: true;
  timestamp: string;
  tenant_id: string;
  cycle_id: string | null;
  dry_run: boolean;
  actions_taken: {
    campaigns_paused: number;
    campaigns_scaled: number;
    campaigns_posted: number;
    opportunities_detected: number;
  };
  notifications_sent: number;
  opportunities_resolved: number;
  suggestions_created: number;
  guardrail_stops: GuardrailStop[];
  decisions: CycleDecision[];
}
