// The campaign form's values as typed, and the API body they become: money as numbers to the
// cent, the schedule as an instant in the browser's time zone, an empty field as "none".
import type { CampaignRecord } from '../../../src/contract/campaigns.ts';

/** The channels a campaign runs on, as the demo and the engine name them. */
export const CHANNEL_CHOICES = [
  { value: 'email', label: 'E-mail' },
  { value: 'sms', label: 'SMS' },
  { value: 'meta_ads', label: 'Meta ads' },
  { value: 'google_ads', label: 'Google Ads' },
  { value: 'linkedin', label: 'LinkedIn' },
] as const;

export interface CampaignDraft {
  title: string;
  goal: string;
  budget: string;
  max_budget: string;
  scheduled_at: string;
  /** Launched by the runner at scheduled_at (status 'scheduled'), or kept a draft. */
  launch: boolean;
  channels: string[];
  segment_id: string;
}

/** An instant as a datetime-local input shows it: the browser's local time, to the minute. */
function localInput(iso: string | null): string {
  if (!iso) return '';
  const at = new Date(iso);
  const local = new Date(at.getTime() - at.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

export function draftOf(c?: CampaignRecord): CampaignDraft {
  return {
    title: c?.title ?? '',
    goal: c?.goal ?? 'leads',
    budget: c ? String(c.budget) : '',
    max_budget: c?.max_budget == null ? '' : String(c.max_budget),
    scheduled_at: localInput(c?.scheduled_at ?? null),
    launch: c?.status === 'scheduled',
    channels: c?.channels ?? [],
    segment_id: c?.segment_id ?? '',
  };
}

/**
 * A number field as the API takes it; text that is not a number goes as it is, so the API names
 * the field in its answer rather than the page guessing.
 */
function amount(text: string): number | string {
  const trimmed = text.trim();
  const value = Number(trimmed);
  return trimmed !== '' && Number.isFinite(value) ? value : trimmed;
}

/**
 * Whether the form decides the campaign's launch: a new one, a draft, or one waiting for its
 * launch. Once launched, its status is the runner's, the rules' and the pause button's.
 */
export const decidesLaunch = (c?: CampaignRecord) => !c || c.status === 'draft' || c.status === 'scheduled';

/** The fields of `draft` that differ from `before` (all of them for a new campaign). */
export function bodyOf(draft: CampaignDraft, before?: CampaignRecord): Record<string, unknown> {
  const next: Record<string, unknown> = {
    ...(decidesLaunch(before) ? { status: draft.launch ? 'scheduled' : 'draft' } : {}),
    title: draft.title,
    goal: draft.goal,
    budget: draft.budget.trim() === '' ? 0 : amount(draft.budget),
    max_budget: draft.max_budget.trim() === '' ? null : amount(draft.max_budget),
    scheduled_at: draft.scheduled_at ? new Date(draft.scheduled_at).toISOString() : null,
    channels: draft.channels,
    segment_id: draft.segment_id || null,
  };
  if (!before) return next;
  const old = bodyOf(draftOf(before));
  return Object.fromEntries(
    Object.entries(next).filter(([key, value]) => JSON.stringify(value) !== JSON.stringify(old[key])),
  );
}
