// A social post as GET /api/social-posts answers it (campaign_schedules with per-platform results).

export const POST_STATUSES = ['pending', 'posting', 'posted', 'failed', 'cancelled'] as const;
export const PLATFORMS = ['facebook', 'instagram', 'twitter'] as const;

export interface PlatformResult {
  platform: (typeof PLATFORMS)[number];
  /** The post people see; null until posted. */
  post_id: string | null;
  post_ids: string[];
  /** Why the platform failed for good; null otherwise. */
  failed: string | null;
  last_attempt_at: string | null;
}

export interface SocialPost {
  id: string;
  campaign_id: string;
  campaign_title: string;
  action_id: string | null;
  scheduled_for: string;
  platforms: string[];
  status: (typeof POST_STATUSES)[number];
  attempts: number;
  last_error: string | null;
  posted_at: string | null;
  results: PlatformResult[];
  content: Record<string, unknown>;
  created_at: string;
  updated_at: string;
}
