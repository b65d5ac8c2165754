// The tenant's autonomy switch (autonomous_enabled, PATCH /api/tenants/{id}): the kill switch of
// every autonomous action. Off, rules keep matching but every pause, budget change and post waits
// for a person (the engine's mode "suggest"); notifications, which change nothing, still go out.
import { useState } from 'react';
import { request } from '../api/client.ts';
import type { Loaded } from '../api/use-api.ts';
import { ConfirmButton } from '../components/confirm-button.tsx';
import { ErrorNotice, Spinner } from '../components/status.tsx';
import { href } from '../lib/route.ts';
import type { Tenant } from './rules-model.ts';

/** Shown at the top of the tab while autonomy is off, to every role. */
export function AutonomyOffBanner({ tenant }: { tenant: Tenant | undefined }) {
  if (!tenant || tenant.autonomous_enabled) return null;
  return (
    <div className="notice warn autonomy-banner" role="status">
      <strong>Autonomy is off: the engine only suggests.</strong> Rules still match every cycle, but no campaign is
      paused, scaled, posted or optimized on its own; each such action waits in <a href={href('actions')}>Actions</a>{' '}
      for a person to approve. Notifications are still sent.
    </div>
  );
}

export function AutonomySwitch({ tenant, mayChange }: { tenant: Loaded<Tenant>; mayChange: boolean }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const [done, setDone] = useState<string>();

  if (!tenant.data) {
    if (tenant.error) return <ErrorNotice error={tenant.error} retry={tenant.reload} />;
    return null;
  }
  const on = tenant.data.autonomous_enabled;
  const id = tenant.data.id;

  async function turn(enabled: boolean) {
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      await request(`/api/tenants/${id}`, { method: 'PATCH', body: { autonomous_enabled: enabled } });
      setDone(enabled ? 'Autonomy is on again.' : 'Autonomy is off.');
      tenant.reload();
    } catch (failure) {
      setError(failure as Error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel autonomy" aria-label="Autonomy switch">
      <div className="row spread">
        <div>
          <strong>Autonomy: {on ? 'on' : 'off'}</strong>{' '}
          <span className={`badge ${on ? 'green' : 'red'}`}>{on ? 'acting' : 'suggesting only'}</span>
          <p className="muted small">
            {on
              ? 'Rules act on their own on campaigns whose autopilot is on; other campaigns get suggestions.'
              : 'Every autonomous action of this tenant is stopped; rules only suggest.'}
          </p>
        </div>
        {mayChange && (
          <div className="row">
            {busy && <Spinner label="Saving" />}
            {on ? (
              <ConfirmButton
                label="Turn autonomy off"
                title="Turn autonomy off?"
                className="danger"
                disabled={busy}
                onConfirm={() => void turn(false)}
              >
                <p>
                  This stops every autonomous action of the tenant: rules keep matching, but pauses, budget changes and
                  posts become suggestions for a person to approve. Notifications are still sent.
                </p>
              </ConfirmButton>
            ) : (
              <button type="button" className="primary" disabled={busy} onClick={() => void turn(true)}>
                Turn autonomy on
              </button>
            )}
          </div>
        )}
      </div>
      {done && (
        <p className="small" role="status">
          {done}
        </p>
      )}
      {error && <ErrorNotice error={error} />}
    </section>
  );
}
