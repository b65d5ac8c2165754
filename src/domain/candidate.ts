// A campaign that an active rule matched, with the numbers the guardrails and confidence need.
import type { RuleAction } from './rules.ts';

export interface Candidate {
  campaignId: string;
  title: string;
  budget: number;
  maxBudget: number | null;
  autopilot: boolean;
  ruleId: string;
  ruleName: string;
  ruleType: 'pause' | 'scale' | 'notify' | 'post';
  priority: number;
  action: RuleAction;
  spend: number;
  revenue: number;
  conversions: number;
  roi: number | null;
  spendLast7Days: number;
  hoursRunning: number;
  lastBudgetChangeAt: Date | null;
  hasPendingSuggestion: boolean;
}
