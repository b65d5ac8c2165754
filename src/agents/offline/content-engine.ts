// The offline content agent: one asset per requested content type for the campaign, each with up
// to three variants that differ by angle (one per pain of the campaign's segments, then their goals,
// then the offer itself), so an A/B test compares messages rather than wording.
import type { AssetType } from '../../domain/asset-types.ts';
import type { ContentEngineInput, FUNNEL_STAGES } from '../agent-inputs.ts';
import type { ContentOutput } from '../agent-outputs.ts';
import type { OfferContext, SegmentContext, WorkspaceContext } from '../workspace-context.ts';
import {
  type CopyBrief,
  channelFits,
  followUpDelayHours,
  formatMoney,
  httpUrlOrNull,
  joinNames,
  lowerFirst,
  NAMED_PAIN_QUESTION,
  painHook,
  painQuestion,
  truncateAtWord,
  unique,
  upperFirst,
  usableContext,
  withoutEndPunctuation,
  writeCopy,
} from './copy-helpers.ts';

type FunnelStage = (typeof FUNNEL_STAGES)[number];
interface Angle {
  kind: 'pain' | 'goal' | 'offer' | 'cta';
  text: string;
  /** The segment the pain or goal belongs to, so the copy names who has it. */
  who: string;
}

const MAX_VARIANTS = 3;
const LABELS = ['A', 'B', 'C'] as const;
const TYPE_LABEL: Record<AssetType, string> = {
  email: 'email',
  sms: 'SMS',
  voice: 'voice script',
  social_post: 'social post',
  landing_page: 'landing page',
  ad: 'ad',
};
/** How a pain-led subject is framed at each stage; the pain leads as stored, since it may be a whole clause. */
const PAIN_SUBJECT: Record<FunnelStage, (pain: string, offer: string) => string> = {
  awareness: (pain, offer) => `${upperFirst(pain)}? Meet ${offer}`,
  consideration: (pain, offer) => `${upperFirst(pain)}: how ${offer} helps`,
  conversion: (pain, offer) => `${upperFirst(pain)}? Start with ${offer}`,
  retention: (pain, offer) => `${upperFirst(pain)}: more from ${offer}`,
};

export function offlineContent(input: ContentEngineInput, stored: WorkspaceContext): ContentOutput {
  const context = usableContext(stored);
  const campaign = context.campaign;
  const campaignText = `${campaign?.title ?? ''} ${campaign?.description ?? ''}`.toLowerCase();
  const segments = mentionedOrAll(context.segments, campaignText);
  const offer = mentionedOrAll(context.offers, campaignText)[0] ?? null;
  const title = campaign?.title ?? context.brand?.brand_name ?? context.workspace.name;
  const offerName = offer?.name ?? title;
  const angles = variantAngles(segments, offerName, input.ctaIntent);
  const ctaUrl = httpUrlOrNull(campaign?.cta_url);
  // New assets continue the campaign's sequence after the steps it already has.
  const existingSteps = campaign?.assets.length ?? 0;
  return {
    assets: unique(input.contentTypes).map((assetType, index) => ({
      asset_type: assetType,
      channel: input.channels.find((channel) => channelFits(channel, assetType)) ?? input.channels[0]!,
      name: truncateAtWord(`${title} – ${input.funnelStage} ${TYPE_LABEL[assetType]}`, 300),
      delay_hours: followUpDelayHours(existingSteps + index),
      variants: angles.map((angle, variant) => ({
        label: LABELS[variant]!,
        ...writeCopy(assetType, brief(angle, input, offer, offerName, context, ctaUrl)),
      })),
    })),
  };
}

/** The segments or offers the campaign names in its title or description; all of them if it names none. */
function mentionedOrAll<T extends { name: string }>(items: T[], campaignText: string): T[] {
  const mentioned = items.filter((item) => campaignText.includes(item.name.toLowerCase()));
  return mentioned.length ? mentioned : items;
}

/** Pains first (one variant each), then goals, then the offer (or campaign) and the call to action: at least two. */
function variantAngles(segments: SegmentContext[], offerName: string, ctaIntent: string): Angle[] {
  const everyone = joinNames(segments.map((s) => s.name)) || 'teams like yours';
  const angles: Angle[] = [
    ...segments.flatMap((s) => s.pains.map((pain): Angle => ({ kind: 'pain', text: pain, who: s.name }))),
    ...segments.flatMap((s) => s.goals.map((goal): Angle => ({ kind: 'goal', text: goal, who: s.name }))),
    { kind: 'offer', text: offerName, who: everyone },
    { kind: 'cta', text: ctaIntent, who: everyone },
  ];
  const seen = new Set<string>();
  const distinct = angles.filter((angle) => !seen.has(angle.text.toLowerCase()) && seen.add(angle.text.toLowerCase()));
  return distinct.slice(0, MAX_VARIANTS);
}

function brief(
  angle: Angle,
  input: ContentEngineInput,
  offer: OfferContext | null,
  offerName: string,
  context: WorkspaceContext,
  ctaUrl: string | null,
): CopyBrief {
  const text = withoutEndPunctuation(angle.text);
  const cta = upperFirst(withoutEndPunctuation(input.ctaIntent));
  const price =
    offer?.price != null ? ` Price: ${formatMoney(offer.price, offer.currency || context.tenant.currency)}.` : '';
  const pitch = offer
    ? `${offer.name}${offer.description ? `: ${withoutEndPunctuation(offer.description)}` : ''}.${price}`
    : `${offerName} can help.`;
  // Every angle's call still asks about a real pain of the segment when there is one.
  const firstPain = context.segments.find((s) => s.name === angle.who)?.pains[0];
  const question =
    angle.kind === 'pain'
      ? NAMED_PAIN_QUESTION
      : firstPain
        ? painQuestion(firstPain)
        : 'What is the biggest thing slowing your team down right now?';
  const byAngle: Record<Angle['kind'], { subject: string; hook: string }> = {
    pain: { subject: PAIN_SUBJECT[input.funnelStage](text, offerName), hook: painHook(angle.who, text) },
    goal: {
      subject: `${upperFirst(text)} with ${offerName}`,
      hook: `One goal we hear from ${angle.who}: ${lowerFirst(text)}. ${offerName} is built for it.`,
    },
    offer: offer
      ? { subject: `${offerName} for ${angle.who}`, hook: `${offerName} is for ${angle.who}.` }
      : { subject: offerName, hook: `A quick note about ${offerName}.` },
    cta: { subject: `${cta}: ${offerName}`, hook: `${cta}: here is why it is worth a few minutes.` },
  };
  const brandName = context.brand?.brand_name ?? null;
  return { brandName, ...byAngle[angle.kind], question, pitch, ctaText: cta, ctaUrl };
}
