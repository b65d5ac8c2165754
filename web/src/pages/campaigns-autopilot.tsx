// The autopilot switch of one campaign: PUT /api/campaigns/{id}/autopilot (admin only, no
// version needed). Everyone else reads the state as text: a viewer or member gets no control.
import { useState } from 'react';
import type { CampaignRecord } from '../../../src/contract/campaigns.ts';
import { request } from '../api/client.ts';
import { useSession } from '../auth/session-context.tsx';
import { Spinner } from '../components/status.tsx';

export function AutopilotSwitch({
  campaign,
  onChanged,
}: {
  campaign: CampaignRecord;
  onChanged: (next: CampaignRecord) => void;
}) {
  const { can } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const on = campaign.autopilot_enabled;

  if (!can('admin')) return <span className={on ? 'autopilot-state on' : 'autopilot-state'}>{on ? 'On' : 'Off'}</span>;

  async function toggle(enabled: boolean) {
    setBusy(true);
    setError(undefined);
    try {
      const next = await request<CampaignRecord>(`/api/campaigns/${campaign.id}/autopilot`, {
        method: 'PUT',
        body: { enabled },
      });
      onChanged(next);
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <span className="autopilot">
      <label className="autopilot-switch">
        <input
          type="checkbox"
          checked={on}
          disabled={busy}
          aria-label={`Autopilot: ${campaign.title}`}
          onChange={(e) => void toggle(e.target.checked)}
        />
        <span aria-hidden="true">{on ? 'On' : 'Off'}</span>
        {busy && <Spinner label="Saving autopilot" />}
      </label>
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}
