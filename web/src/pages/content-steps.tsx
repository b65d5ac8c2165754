// A campaign's steps as a member shapes them (POST and PATCH /api/content/assets): a step added at
// the end of the sequence with its channel and its wait after the step before; a step's wait
// changed (the CMO loop tunes it too); a step removed after a confirmation (archived: the messages
// it sent keep pointing at it). The API's message for a field shows under it.
import { type FormEvent, useId, useState } from 'react';
import type { ContentAsset } from '../../../src/contract/content.ts';
import { ASSET_TYPES } from '../../../src/contract/content-vocabulary.ts';
import { request } from '../api/client.ts';
import { ConfirmButton } from '../components/confirm-button.tsx';
import { Spinner } from '../components/status.tsx';
import { messageFor, NumberField, SelectField, TextField } from './rules-fields.tsx';

const STEP_KINDS: Record<(typeof ASSET_TYPES)[number], string> = {
  email: 'E-mail',
  sms: 'SMS',
  voice: 'Voice call script',
  social_post: 'Social post',
  landing_page: 'Landing page',
  ad: 'Ad',
};

/** A number field's text as the API takes it: text that is not a number goes as it is, for the API to name. */
const hoursOf = (text: string): number | string => {
  const value = Number(text.trim());
  return text.trim() !== '' && Number.isFinite(value) ? value : text.trim();
};

export function AddStep({
  campaignId,
  nextIndex,
  onAdded,
}: {
  campaignId: string;
  /** The step index after the campaign's last step. */
  nextIndex: number;
  onAdded: (words: string) => void;
}) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [kind, setKind] = useState<string>('email');
  const [name, setName] = useState('');
  const [wait, setWait] = useState(nextIndex === 0 ? '0' : '48');
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);

  async function add(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await request<ContentAsset>('/api/content/assets', {
        method: 'POST',
        body: {
          name,
          asset_type: kind,
          campaign_id: campaignId,
          step_index: nextIndex,
          delay_hours: hoursOf(wait),
        },
      });
      setOpen(false);
      setName('');
      onAdded(`Step ${nextIndex + 1} added: add its variants and write their copy.`);
    } catch (failure) {
      setError(failure as Error);
    } finally {
      setBusy(false);
    }
  }

  if (!open)
    return (
      <div className="row">
        <button type="button" onClick={() => setOpen(true)}>
          Add a step
        </button>
      </div>
    );
  const general =
    error && !['name', 'asset_type', 'delay_hours', 'step_index'].some((f) => messageFor(error, f))
      ? error.message
      : undefined;
  return (
    <form className="panel step-form" aria-label="New step" onSubmit={(e) => void add(e)}>
      <h3>Step {nextIndex + 1}</h3>
      <SelectField
        id={`${id}-kind`}
        label="Channel"
        value={kind}
        options={ASSET_TYPES.map((value) => ({ value, label: STEP_KINDS[value] }))}
        error={messageFor(error, 'asset_type')}
        onChange={setKind}
      />
      <TextField
        id={`${id}-name`}
        label="Name"
        value={name}
        required
        placeholder="Follow-up"
        error={messageFor(error, 'name')}
        onChange={setName}
      />
      <NumberField
        id={`${id}-wait`}
        label="Wait (hours after the step before)"
        value={wait}
        step="0.25"
        hint={nextIndex === 0 ? 'The first step goes at launch; a wait delays it.' : undefined}
        error={messageFor(error, 'delay_hours')}
        onChange={setWait}
      />
      <div className="row full">
        <button type="submit" className="primary" disabled={busy}>
          {busy && <Spinner label="Adding the step" />}
          Add step
        </button>
        <button type="button" disabled={busy} onClick={() => setOpen(false)}>
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

export function StepSettings({ asset, onChanged }: { asset: ContentAsset; onChanged: (words: string) => void }) {
  const id = useId();
  const [wait, setWait] = useState(String(asset.delay_hours));
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);

  async function change(fields: { delay_hours: number | string } | { status: 'archived' }, words: string) {
    setBusy(true);
    setError(undefined);
    try {
      await request<ContentAsset>(`/api/content/assets/${asset.id}`, { method: 'PATCH', body: fields });
      onChanged(words);
    } catch (failure) {
      setError(failure as Error);
    } finally {
      setBusy(false);
    }
  }

  const unchanged = hoursOf(wait) === asset.delay_hours;
  return (
    <form
      className="row step-settings"
      aria-label={`Step ${asset.step_index + 1} settings`}
      onSubmit={(e) => {
        e.preventDefault();
        void change({ delay_hours: hoursOf(wait) }, `Step ${asset.step_index + 1} now waits ${wait} h.`);
      }}
    >
      <NumberField
        id={`${id}-wait`}
        label="Wait (hours)"
        value={wait}
        step="0.25"
        error={
          messageFor(error, 'delay_hours') ?? (error && !messageFor(error, 'delay_hours') ? error.message : undefined)
        }
        onChange={setWait}
      />
      <button type="submit" disabled={busy || unchanged}>
        {busy && <Spinner label="Saving" />}
        Save wait
      </button>
      <ConfirmButton
        label="Remove step"
        title={`Remove step ${asset.step_index + 1}, ${asset.name}?`}
        disabled={busy}
        onConfirm={() => void change({ status: 'archived' }, `Step ${asset.step_index + 1} (${asset.name}) removed.`)}
      >
        <p>
          Nobody is sent this step from now on; recipients waiting for it go on to the next. What it sent stays in the
          campaign’s statistics.
        </p>
      </ConfirmButton>
    </form>
  );
}
