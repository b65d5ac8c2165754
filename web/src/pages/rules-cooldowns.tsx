// The cooldowns every rule obeys, and the respites a person's rollback or dismissal buys
// (docs/respite.md): the tenant's guardrails (PATCH /api/tenants/{id} with the whole guardrails
// object; the API fills what is left out with defaults, so the others are sent as they are).
// Admins edit them here, next to the rules; others read them in each rule's form.
import { type FormEvent, useState } from 'react';
import { ApiError, request } from '../api/client.ts';
import type { Loaded } from '../api/use-api.ts';
import { ErrorNotice, Spinner } from '../components/status.tsx';
import { messageFor, NumberField } from './rules-fields.tsx';
import type { Tenant } from './rules-model.ts';

const COOLDOWNS = [
  ['cooldown_hours', 'Budget changes of a campaign, at most once every (h)'],
  ['post_cooldown_hours', 'Posts of a campaign, at most once every (h)'],
  ['notify_cooldown_hours', 'The same notification, at most once every (h)'],
  ['rollback_cooldown_hours', 'After a rollback, no rule does the same to the campaign for (h)'],
  ['dismissal_respite_days', 'A dismissed suggestion is not made again for (days)'],
] as const;

type Cooldown = (typeof COOLDOWNS)[number][0];

export function CooldownEditor({ tenant }: { tenant: Loaded<Tenant> }) {
  const [draft, setDraft] = useState<Partial<Record<Cooldown, string>>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const [saved, setSaved] = useState(false);
  if (!tenant.data) return null;
  const { guardrails, id } = tenant.data;
  const shown = (name: Cooldown) => draft[name] ?? String(guardrails[name]);

  async function save(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setSaved(false);
    try {
      const edited = Object.fromEntries(
        COOLDOWNS.map(([name]) => [name, shown(name) === '' ? null : Number(shown(name))]),
      );
      await request(`/api/tenants/${id}`, { method: 'PATCH', body: { guardrails: { ...guardrails, ...edited } } });
      setDraft({});
      setSaved(true);
      tenant.reload();
    } catch (failure) {
      setError(failure as Error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <details className="panel cooldowns">
      <summary>Cooldowns (every rule)</summary>
      <form onSubmit={save} className="cooldown-fields">
        {COOLDOWNS.map(([name, label]) => (
          <NumberField
            key={name}
            id={`cooldown-${name}`}
            label={label}
            step="1"
            value={shown(name)}
            error={messageFor(error, `guardrails.${name}`)}
            onChange={(value) => setDraft((d) => ({ ...d, [name]: value }))}
          />
        ))}
        <div className="row">
          <button type="submit" className="primary" disabled={busy}>
            {busy && <Spinner label="Saving" />}
            Save cooldowns
          </button>
          {saved && (
            <span className="small" role="status">
              Saved.
            </span>
          )}
        </div>
        {/* Field errors stand next to their inputs; anything else goes here. */}
        {error && !(error instanceof ApiError && error.fields.length > 0) && <ErrorNotice error={error} />}
      </form>
    </details>
  );
}
