// What a member does with a campaign by hand: pause it or resume it (a ledger row naming them,
// rolled back from the Actions tab like any action) and archive it, each after a confirmation. A
// linked campaign's pause or resume goes to its ad platform first: the page says it was sent, not
// done, until the platform confirms.
import { useState } from 'react';
import type { CampaignByHandOutcome, CampaignRecord } from '../../../src/contract/campaigns.ts';
import { request } from '../api/client.ts';
import { useSession } from '../auth/session-context.tsx';
import { ConfirmButton } from '../components/confirm-button.tsx';
import { Spinner } from '../components/status.tsx';

/** The statuses a pause can stop (the API's rule; it checks again). */
const PAUSABLE = new Set(['active', 'scheduled', 'sending']);

type Move = 'pause' | 'resume' | 'archive';

function outcomeOf(move: Move, answer: CampaignByHandOutcome | CampaignRecord): string {
  if (move === 'archive')
    return 'Archived: the campaign is out of the campaigns list (the “Archived” filter shows it).';
  const { action_status } = answer as CampaignByHandOutcome;
  const done = move === 'pause' ? 'Paused' : 'Resumed';
  if (action_status === 'applying') {
    return `${done === 'Paused' ? 'Pause' : 'Resume'} sent to the ad platform: the campaign changes once the platform confirms.`;
  }
  return `${done}. The Actions tab records it under your name, and can roll it back.`;
}

export function CampaignControls({
  campaign: c,
  onEdit,
  onChanged,
}: {
  campaign: CampaignRecord;
  onEdit: () => void;
  /** The campaign as the server answered, and what the page should say about it. */
  onChanged: (next: CampaignRecord, outcome: string) => void;
}) {
  const { can } = useSession();
  const [busy, setBusy] = useState<Move>();
  const [error, setError] = useState<string>();
  if (!can('member')) return null;

  async function act(move: Move) {
    setBusy(move);
    setError(undefined);
    try {
      const answer =
        move === 'archive'
          ? await request<CampaignRecord>(`/api/campaigns/${c.id}`, { method: 'DELETE' })
          : await request<CampaignByHandOutcome>(`/api/campaigns/${c.id}/${move}`, { method: 'POST' });
      onChanged('campaign' in answer ? answer.campaign : answer, outcomeOf(move, answer));
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(undefined);
    }
  }

  const archived = c.status === 'archived';
  return (
    <div className="campaign-controls">
      <div className="row">
        {!archived && (
          <button type="button" onClick={onEdit} disabled={busy !== undefined}>
            Edit
          </button>
        )}
        {PAUSABLE.has(c.status) && (
          <ConfirmButton
            label="Pause"
            title={`Pause “${c.title}”?`}
            disabled={busy !== undefined}
            onConfirm={() => void act('pause')}
          >
            <p>
              It stops{' '}
              {c.status === 'sending' ? 'sending' : c.status === 'scheduled' ? 'waiting for its launch' : 'running'}{' '}
              until someone resumes it.
              {c.platform_link && ' The pause is sent to its ad platform and takes effect once the platform confirms.'}
            </p>
            <p className="small muted">Recorded in the Actions tab under your name; an admin can roll it back there.</p>
          </ConfirmButton>
        )}
        {c.status === 'paused' && (
          <ConfirmButton
            label="Resume"
            title={`Resume “${c.title}”?`}
            disabled={busy !== undefined}
            onConfirm={() => void act('resume')}
          >
            <p>
              It goes back to the status it had before it was paused.
              {c.platform_link && ' The change is sent to its ad platform and takes effect once the platform confirms.'}
            </p>
            <p className="small muted">Recorded in the Actions tab under your name.</p>
          </ConfirmButton>
        )}
        {!archived && (
          <ConfirmButton
            label="Archive"
            className="danger"
            title={`Archive “${c.title}”?`}
            disabled={busy !== undefined}
            onConfirm={() => void act('archive')}
          >
            <p>
              It stops for good and leaves the campaigns list. Its stats and actions stay, and the “Archived” filter
              shows it.
            </p>
          </ConfirmButton>
        )}
        {busy && <Spinner label={`${busy[0]!.toUpperCase()}${busy.slice(1)} in progress`} />}
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
