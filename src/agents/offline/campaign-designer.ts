// The offline campaign agent: one campaign per ICP segment (at most three) for the workspace's
// first offer, each a sequence that cycles through the requested channels. Every step's copy leads
// with one of the segment's own pains, so the steps differ and nothing is invented.
import type { CampaignDesignerInput } from '../agent-inputs.ts';
import type { CampaignDesignOutput } from '../agent-outputs.ts';
import type { OfferContext, SegmentContext, WorkspaceContext } from '../workspace-context.ts';
import {
  type CopyBrief,
  followUpDelayHours,
  formatMoney,
  type Goal,
  httpUrlOrNull,
  joinNames,
  NAMED_PAIN_QUESTION,
  painHook,
  sequenceAssetType,
  splitAmount,
  truncateAtWord,
  upperFirst,
  usableContext,
  withoutEndPunctuation,
  writeCopy,
} from './copy-helpers.ts';

type Campaign = CampaignDesignOutput['campaigns'][number];
type Step = Campaign['sequence'][number];

const MAX_CAMPAIGNS = 3;
const DEFAULT_STEPS = 3;
const DEFAULT_CTA: Record<Goal, string> = { leads: 'Get started', meetings: 'Book a call', revenue: 'Get started' };
const GOAL_OUTCOME: Record<Goal, string> = { leads: 'new leads', meetings: 'booked calls', revenue: 'sales' };

export function offlineCampaignDesign(input: CampaignDesignerInput, stored: WorkspaceContext): CampaignDesignOutput {
  const context = usableContext(stored);
  const segments = targetSegments(context.segments, input.preferences.audience);
  const offer = context.offers[0] ?? null;
  const count = Math.max(segments.length, 1);
  // Without a budget of its own the set takes a third of the plan's: about one 30-day phase.
  const pool = input.preferences.budget ?? (context.plan?.budget != null ? context.plan.budget / 3 : 0);
  const budgets = splitAmount(pool, Array(count).fill(1));
  const ctaText = offer?.cta ?? DEFAULT_CTA[input.campaignGoal];
  const ctaUrl = httpUrlOrNull(context.brand?.website);
  const audiences: (SegmentContext | null)[] = segments.length ? segments : [null];
  return {
    campaigns: audiences.map((segment, index) => ({
      title: truncateAtWord(campaignTitle(segment, offer, context, input.campaignGoal), 300),
      description: truncateAtWord(describe(segment, offer, input, context.tenant.currency), 4000),
      goal: input.campaignGoal,
      channels: input.channels,
      budget: budgets[index]!,
      cta_text: truncateAtWord(ctaText, 200),
      cta_url: ctaUrl,
      segment: segment?.name ?? (input.preferences.audience?.trim() || null),
      offer: offer?.name ?? null,
      sequence: sequence(input, segment, offer, context.brand?.brand_name ?? null, ctaText, ctaUrl),
    })),
  };
}

/** The segments the preferences name, if any match; otherwise the first three. */
function targetSegments(segments: SegmentContext[], audience: string | undefined): SegmentContext[] {
  const wanted = audience?.toLowerCase().trim();
  const named = wanted
    ? segments.filter((s) => wanted.includes(s.name.toLowerCase()) || s.name.toLowerCase().includes(wanted))
    : [];
  return (named.length ? named : segments).slice(0, MAX_CAMPAIGNS);
}

function campaignTitle(
  segment: SegmentContext | null,
  offer: OfferContext | null,
  context: WorkspaceContext,
  goal: Goal,
): string {
  if (offer && segment) return `${offer.name} for ${segment.name}`;
  if (offer) return `${offer.name}: ${GOAL_OUTCOME[goal]} campaign`;
  const owner = context.brand?.brand_name ?? context.workspace.name;
  return segment ? `${owner} for ${segment.name}` : `${owner} ${GOAL_OUTCOME[goal]} campaign`;
}

function describe(
  segment: SegmentContext | null,
  offer: OfferContext | null,
  input: CampaignDesignerInput,
  currency: string,
): string {
  const steps = input.preferences.steps ?? DEFAULT_STEPS;
  const price = offer?.price != null ? ` (${formatMoney(offer.price, offer.currency || currency)})` : '';
  const parts = [
    `A ${steps}-step ${joinNames(sequenceChannels(input))} sequence aiming at ${GOAL_OUTCOME[input.campaignGoal]}`,
    segment ? ` from ${segment.name}` : '',
    offer ? ` with ${offer.name}${price}.` : '.',
    segment?.pains.length ? ` It leads with their pains: ${joinNames(segment.pains.slice(0, 3))}.` : '',
    segment?.objections.length ? ` Follow-ups answer: ${joinNames(segment.objections.slice(0, 2))}.` : '',
    input.preferences.tone ? ` Tone: ${input.preferences.tone}.` : '',
    input.preferences.notes ? ` Notes: ${input.preferences.notes}` : '',
  ];
  return parts.join('');
}

/** The channels the sequence's steps actually use: with fewer steps than channels, not all of them. */
const sequenceChannels = (input: CampaignDesignerInput) =>
  input.channels.slice(0, input.preferences.steps ?? DEFAULT_STEPS);

function sequence(
  input: CampaignDesignerInput,
  segment: SegmentContext | null,
  offer: OfferContext | null,
  brandName: string | null,
  ctaText: string,
  ctaUrl: string | null,
): Step[] {
  const steps = input.preferences.steps ?? DEFAULT_STEPS;
  return Array.from({ length: steps }, (_, index) => {
    const channel = input.channels[index % input.channels.length]!;
    const assetType = sequenceAssetType(channel);
    const position = index === 0 ? 'Intro' : index === steps - 1 ? 'Last touch' : `Follow-up ${index}`;
    const brief = stepBrief(index, steps, segment, offer, brandName, ctaText, ctaUrl);
    return {
      asset_type: assetType,
      channel,
      name: `${position} – ${channel}`,
      delay_hours: followUpDelayHours(index),
      ...writeCopy(assetType, brief),
    };
  });
}

/** Step n leads with the segment's n-th pain (cycling); the last step answers an objection if one is known. */
function stepBrief(
  index: number,
  steps: number,
  segment: SegmentContext | null,
  offer: OfferContext | null,
  brandName: string | null,
  ctaText: string,
  ctaUrl: string | null,
): CopyBrief {
  const pains = segment?.pains ?? [];
  const pain = pains.length ? withoutEndPunctuation(pains[index % pains.length]!) : null;
  const offerName = offer?.name ?? brandName ?? 'our team';
  const who = segment?.name ?? 'teams like yours';
  const isLast = index === steps - 1 && steps > 1;
  const objection = isLast ? segment?.objections[0] : undefined;
  const subject =
    index === 0
      ? `${offerName} for ${who}`
      : isLast
        ? `Last note on ${offerName}`
        : pain
          ? `${upperFirst(pain)}? Still an issue?`
          : `A quick follow-up on ${offerName}`;
  const hook = pain ? painHook(who, pain) : `${offerName} is built for ${who}.`;
  const objectionLine = objection
    ? ` If "${withoutEndPunctuation(objection)}" is on your mind, let's talk it through.`
    : '';
  const pitch = offer
    ? `${offer.name}${offer.description ? `: ${withoutEndPunctuation(offer.description)}` : ' is built for exactly this'}.${objectionLine}`
    : `We can help.${objectionLine}`;
  return {
    brandName,
    subject,
    hook,
    question: pain ? NAMED_PAIN_QUESTION : 'What is slowing your growth right now?',
    pitch,
    ctaText,
    ctaUrl,
  };
}
