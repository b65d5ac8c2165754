// A campaign that an active rule matched, with the numbers the guardrails and confidence need.

import type { RuleAction } from '../contract/rules.ts';
import type { WindowedTotals } from './condition-confidence.ts';
import type { Evidence } from './model/roi-posterior.ts';
import type { DismissedSuggestion } from './respite.ts';
import type { Condition } from './rules.ts';

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
  hoursRunning: number;
  /** The campaign's first channel: whose prior and attribution lag apply. */
  channel: string;
  /** What it spends a day on its recent active days (what a pause saves, a scale multiplies). */
  dailySpend: number;
  /** What the ROI model knows of the campaign (src/engine/campaign-evidence.ts). */
  evidence: Evidence;
  /**
   * Scale rules only: the last budget change, a scale's (executed, on its way, or rolled back) or
   * one made on the campaign's ad platform outside Nightshift.
   */
  lastBudgetChangeAt: Date | null;
  /** Post rules only: the last auto_post scheduled or suggested. */
  lastPostedAt: Date | null;
  /** Notify rules only: the last notification by this rule for this campaign. */
  lastNotifiedAt: Date | null;
  /**
   * When a person last rolled back an action of this campaign in this rule's direction (its
   * action type, whichever rule took it), at or before the cycle's clock.
   */
  lastRolledBackAt: Date | null;
  /** When someone last paused or resumed the campaign on its ad platform, outside Nightshift, at or before the cycle's clock. */
  lastChangedOutsideAt: Date | null;
  /** When a person last paused or resumed the campaign by hand in Nightshift, at or before the cycle's clock. */
  lastChangedByHandAt: Date | null;
  /** The last suggestion of this action type on this campaign a person dismissed, at or before the cycle's clock. */
  lastDismissal: DismissedSuggestion | null;
  /** Notify and post rules only: the rule's condition and the windows it reads. */
  condition: Condition | null;
  windows: WindowedTotals | null;
  /**
   * The cycle's suggestion for this campaign still awaiting a person, if any: a later cycle
   * suggests nothing more, but may act in its place once sure enough (plan-cycle.ts).
   */
  pendingSuggestionId: string | null;
}
