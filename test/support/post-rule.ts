// The seeds' social post rule, and a day of figures that meets it: what makes the engine queue a post.
export const POST_RULE = {
  rule_name: 'Social Auto-Post',
  rule_type: 'post',
  priority: 70,
  condition: { terms: [{ metric: 'ctr', window: '7d', operator: '>', threshold: 0.02 }], min_hours_running: 168 },
  action: { type: 'auto_post' },
};

/** CTR 3%: above the rule's 2%. */
export const ENGAGING_DAY = { spend: 20, revenue: 40, conversions: 1, clicks: 300, impressions: 10_000 };
