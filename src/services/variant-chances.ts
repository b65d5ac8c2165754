// Each variant's chance of being the best of its step, as the CMO loop judges variants when it
// kills them (src/agents/builtin-optimizer.ts): the campaign goal's successes per send, P(best)
// over the step's active variants. Shown beside each variant's copy so a person sees what the
// loop will see.
import { GOAL_METRIC } from '../agents/builtin-optimizer.ts';
import type { CampaignGoal } from '../agents/optimizer.ts';
import type { VariantRow } from '../db/repositories/content.ts';
import { probabilityBest } from '../domain/variant-selection.ts';

const goalOf = (goal: string | undefined): CampaignGoal => (goal === 'meetings' || goal === 'revenue' ? goal : 'leads');

export function withChanceOfBest(variants: readonly VariantRow[], goal: string | undefined) {
  const field = GOAL_METRIC[goalOf(goal)].field;
  const active = variants.filter((v) => v.status === 'active');
  const sent = active.some((v) => v.stats.sends > 0);
  const chances = sent
    ? probabilityBest(
        active.map((v) => ({ successes: Math.min(v.stats[field], v.stats.sends), trials: v.stats.sends })),
      )
    : [];
  const chanceOf = new Map(active.map((v, i) => [v.id, chances[i] ?? null]));
  return variants.map((v) => ({ ...v, probability_best: chanceOf.get(v.id) ?? null }));
}
