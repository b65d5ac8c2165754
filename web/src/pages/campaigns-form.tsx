// The campaign form, for a new campaign (POST /api/campaigns) and for editing one (PATCH, based
// on the version the page shows: a campaign changed since is refused and the page says so). The
// API's message for a field shows under it; nothing is saved unless all of it is.
import { type FormEvent, useId, useState } from 'react';
import type { CampaignRecord } from '../../../src/contract/campaigns.ts';
import type { Page } from '../../../src/contract/page.ts';
import type { SegmentRecord } from '../../../src/contract/segments.ts';
import { request } from '../api/client.ts';
import { useApi } from '../api/use-api.ts';
import { useSession } from '../auth/session-context.tsx';
import { Spinner } from '../components/status.tsx';
import { bodyOf, type CampaignDraft, CHANNEL_CHOICES, decidesLaunch, draftOf } from './campaigns-form-model.ts';
import { FieldMessage, messageFor, NumberField, SelectField, TextField } from './rules-fields.tsx';

const GOALS = [
  { value: 'leads', label: 'Leads (replies)' },
  { value: 'meetings', label: 'Meetings' },
  { value: 'revenue', label: 'Revenue (conversions)' },
];

export function CampaignForm({
  campaign,
  onSaved,
  onCancel,
}: {
  /** The campaign to edit; absent for a new one. */
  campaign?: CampaignRecord;
  onSaved: (saved: CampaignRecord) => void;
  onCancel: () => void;
}) {
  const { currency } = useSession();
  const id = useId();
  const [draft, setDraft] = useState<CampaignDraft>(() => draftOf(campaign));
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const segments = useApi<Page<SegmentRecord>>('/api/segments?limit=100');
  const set =
    <K extends keyof CampaignDraft>(key: K) =>
    (value: CampaignDraft[K]) =>
      setDraft((d) => ({ ...d, [key]: value }));

  async function save(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const body = bodyOf(draft, campaign);
      const saved = campaign
        ? Object.keys(body).length === 0
          ? campaign
          : await request<CampaignRecord>(`/api/campaigns/${campaign.id}`, {
              method: 'PATCH',
              body: { ...body, version: campaign.version },
            })
        : await request<CampaignRecord>('/api/campaigns', { method: 'POST', body });
      onSaved(saved);
    } catch (failure) {
      setError(failure as Error);
    } finally {
      setBusy(false);
    }
  }

  const fields = ['title', 'goal', 'budget', 'max_budget', 'scheduled_at', 'status', 'channels', 'segment_id'];
  const general = error && !fields.some((f) => messageFor(error, f)) ? error.message : undefined;
  const money = campaign?.currency || currency;
  const segmentOptions = [
    { value: '', label: segments.data ? 'Nobody yet (no segment)' : 'Loading segments…' },
    ...(segments.data?.data ?? []).map((s) => ({ value: s.id, label: `${s.name} (${s.member_count})` })),
  ];
  return (
    <form
      className="panel campaign-form"
      aria-label={campaign ? `Edit ${campaign.title}` : 'New campaign'}
      onSubmit={(e) => void save(e)}
    >
      <h3>{campaign ? 'Edit campaign' : 'New campaign'}</h3>
      <TextField
        id={`${id}-title`}
        label="Name"
        value={draft.title}
        required
        error={messageFor(error, 'title')}
        onChange={set('title')}
        className="full"
      />
      <SelectField
        id={`${id}-goal`}
        label="Goal"
        value={draft.goal}
        options={GOALS}
        onChange={set('goal')}
        error={messageFor(error, 'goal')}
      />
      <NumberField
        id={`${id}-budget`}
        label={`Daily budget (${money})`}
        value={draft.budget}
        step="0.01"
        placeholder="0.00"
        error={messageFor(error, 'budget')}
        onChange={set('budget')}
      />
      <NumberField
        id={`${id}-max`}
        label={`Max budget (${money})`}
        value={draft.max_budget}
        step="0.01"
        placeholder="No cap"
        hint="The most scaling may raise the budget to."
        error={messageFor(error, 'max_budget')}
        onChange={set('max_budget')}
      />
      <div className="field">
        <label htmlFor={`${id}-when`}>Launch at (your time)</label>
        <input
          id={`${id}-when`}
          type="datetime-local"
          value={draft.scheduled_at}
          aria-invalid={messageFor(error, 'scheduled_at') ? true : undefined}
          aria-describedby={messageFor(error, 'scheduled_at') ? `${id}-when-error` : undefined}
          onChange={(e) => set('scheduled_at')(e.target.value)}
        />
        <FieldMessage id={`${id}-when-error`} message={messageFor(error, 'scheduled_at')} />
        {decidesLaunch(campaign) && (
          <label className="check">
            <input type="checkbox" checked={draft.launch} onChange={(e) => set('launch')(e.target.checked)} />
            Launch it then
          </label>
        )}
        {decidesLaunch(campaign) && (
          <span className="hint">
            {draft.launch
              ? 'At that time its segment’s members become its recipients and sending starts.'
              : 'A draft: nothing launches it until this is ticked.'}
          </span>
        )}
      </div>
      <SelectField
        id={`${id}-segment`}
        label="Audience segment"
        value={draft.segment_id}
        options={segmentOptions}
        error={
          messageFor(error, 'segment_id') ?? (segments.error && `Segments could not be read: ${segments.error.message}`)
        }
        onChange={set('segment_id')}
      />
      <fieldset className="field full channel-choices" aria-describedby={`${id}-channels-error`}>
        <legend>Channels</legend>
        {CHANNEL_CHOICES.map((choice) => (
          <label key={choice.value} className="check">
            <input
              type="checkbox"
              checked={draft.channels.includes(choice.value)}
              onChange={(e) =>
                set('channels')(
                  e.target.checked
                    ? [...draft.channels, choice.value]
                    : draft.channels.filter((c) => c !== choice.value),
                )
              }
            />
            {choice.label}
          </label>
        ))}
        <FieldMessage id={`${id}-channels-error`} message={messageFor(error, 'channels')} />
      </fieldset>
      <div className="row full">
        <button type="submit" className="primary" disabled={busy}>
          {busy && <Spinner label="Saving" />}
          {campaign ? 'Save changes' : 'Create campaign'}
        </button>
        <button type="button" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
        {general && (
          <p className="field-error" role="alert">
            {general}
          </p>
        )}
      </div>
    </form>
  );
}
