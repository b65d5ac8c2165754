// A social post's statuses and platforms, campaign_schedules' own checks (migration 0005): plain
// lists (no zod), so the dashboard's filters take them as values.
export const SOCIAL_POST_STATUSES = ['pending', 'posting', 'posted', 'failed', 'cancelled'] as const;
export const SOCIAL_PLATFORMS = ['facebook', 'instagram', 'twitter'] as const;
