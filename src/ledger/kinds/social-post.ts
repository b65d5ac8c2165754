// A social post (auto_post): it changes no campaign field but queues a post. Approving queues it
// now, to the platforms connected now; undoing cancels it, unless it is already out.
import { connectedPlatforms } from '../../db/repositories/social-accounts.ts';
import { cancelScheduledPosts, schedulePosts } from '../../social/post-queue.ts';
import type { ActionKind } from '../action-kind.ts';
import { ActionConflictError } from '../errors.ts';
import { type CampaignState, requireCampaignState } from './campaign-state.ts';

export const SOCIAL_POST: ActionKind = {
  /** The cycle's posts, queued to the platforms each decision names (those connected when it was made). */
  async enqueueMany(s, tenantId, changes, at) {
    const byPlatforms = Map.groupBy(changes, (c) => JSON.stringify(c.newState.platforms ?? []));
    for (const [platforms, posts] of byPlatforms) {
      await schedulePosts(
        s,
        tenantId,
        posts.map((c) => ({ actionId: c.actionId, campaignId: c.campaignId })),
        JSON.parse(platforms) as string[],
        at,
      );
    }
  },

  /** The campaign must still be live, and the tenant have a connected account. */
  async apply(s, tenantId, action) {
    const previous = action.previous_state as CampaignState;
    await requireCampaignState(s, tenantId, action.campaign_id, previous, 'cannot approve', ['status']);
    const platforms = await connectedPlatforms(s, tenantId);
    if (platforms.length === 0) {
      throw new ActionConflictError(
        'cannot approve: the tenant has no connected social account',
        { platforms: 'at least one connected' },
        { platforms: 'none' },
      );
    }
    await schedulePosts(s, tenantId, [{ actionId: action.id, campaignId: action.campaign_id }], platforms, new Date());
    await s.query(
      `UPDATE autonomous_actions SET new_state = jsonb_set(new_state, '{platforms}', to_jsonb($3::text[]))
        WHERE tenant_id = $1 AND id = $2`,
      [tenantId, action.id, platforms],
    );
  },

  async undo(s, tenantId, action) {
    // Locks the campaign, as every rollback does, without expecting anything of it.
    const current = await requireCampaignState(s, tenantId, action.campaign_id, {}, 'cannot roll back');
    const published = await cancelScheduledPosts(s, tenantId, action.id);
    if (published.length > 0) {
      throw new ActionConflictError(
        `cannot roll back: the post is already ${published[0]}`,
        { post: 'pending' },
        { post: published[0] },
      );
    }
    return { from: current, to: current, words: 'cancelled the scheduled post' };
  },
};
