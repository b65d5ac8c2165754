// One variant of a step: its copy, editable by members (the channel's counter under each field as
// it is typed, the API's template error under the field it names), its statistics beside it, and
// kill (with a reason) or restore.
import { type FormEvent, useId, useState } from 'react';
import type { ContentVariant, ListedVariant } from '../../../src/contract/content.ts';
import { type AssetType, type CopyField, REQUIRED_COPY } from '../../../src/contract/content-vocabulary.ts';
import { request } from '../api/client.ts';
import { useSession } from '../auth/session-context.tsx';
import { Badge } from '../components/badge.tsx';
import { Spinner } from '../components/status.tsx';
import { count, percent } from '../lib/format.ts';
import { CopyLimit } from './content-copy-limit.tsx';
import { FieldMessage, messageFor } from './rules-fields.tsx';

const LABELS: Record<CopyField, string> = {
  subject: 'Subject',
  body: 'Body',
  sms_copy: 'SMS',
  voice_script: 'Call script',
  social_post: 'Post',
};

type Copy = Partial<Record<CopyField, string>>;
const copyOf = (v: ContentVariant, fields: readonly CopyField[]): Copy =>
  Object.fromEntries(fields.map((f) => [f, v[f] ?? '']));

function Stats({ variant: v }: { variant: ListedVariant }) {
  const s = v.stats;
  const rate = (n: number) => (s.sends > 0 ? ` (${percent(n / s.sends)})` : '');
  return (
    <dl className="variant-stats" aria-label={`Statistics of variant ${v.variant_label}`}>
      <dt>Sends</dt>
      <dd>{count(s.sends)}</dd>
      <dt>Opens</dt>
      <dd>
        {count(s.opens)}
        {rate(s.opens)}
      </dd>
      <dt>Clicks</dt>
      <dd>
        {count(s.clicks)}
        {rate(s.clicks)}
      </dd>
      <dt>Replies</dt>
      <dd>
        {count(s.replies)}
        {rate(s.replies)}
      </dd>
      <dt title="The chance this variant is the step’s best by the campaign’s goal, as the CMO loop judges it">
        P(best)
      </dt>
      <dd data-testid="p-best">{v.probability_best === null ? '—' : percent(v.probability_best)}</dd>
    </dl>
  );
}

export function VariantCard({
  variant: v,
  assetType,
  onChanged,
}: {
  variant: ListedVariant;
  assetType: AssetType;
  /** After a save, kill or restore: the step reads its variants again (the chances move). */
  onChanged: (outcome: string) => void;
}) {
  const { can } = useSession();
  const id = useId();
  const fields = REQUIRED_COPY[assetType];
  const [copy, setCopy] = useState<Copy>(() => copyOf(v, fields));
  const [reason, setReason] = useState('');
  const [killing, setKilling] = useState(false);
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const editable = can('member');
  const changed = fields.filter((f) => (copy[f] ?? '') !== (v[f] ?? ''));

  async function patch(body: object, outcome: string) {
    setBusy(true);
    setError(undefined);
    try {
      await request(`/api/content/variants/${v.id}`, { method: 'PATCH', body });
      setKilling(false);
      onChanged(outcome);
    } catch (failure) {
      setError(failure as Error);
    } finally {
      setBusy(false);
    }
  }

  function save(e: FormEvent) {
    e.preventDefault();
    const body = Object.fromEntries(changed.map((f) => [f, copy[f] === '' ? null : copy[f]]));
    void patch(body, `Variant ${v.variant_label} saved.`);
  }

  const general =
    error && ![...fields, 'kill_reason', 'status'].some((f) => messageFor(error, f)) ? error.message : undefined;
  return (
    <form
      className={`variant-card panel ${v.status === 'killed' ? 'killed' : ''}`}
      aria-label={`Variant ${v.variant_label}`}
      data-testid="variant-card"
      onSubmit={save}
    >
      <div className="variant-copy">
        <div className="row">
          <strong>Variant {v.variant_label}</strong>
          <Badge value={v.status} />
          {v.kill_reason && <span className="small muted">{v.kill_reason}</span>}
        </div>
        {fields.map((field) => {
          const fieldId = `${id}-${field}`;
          const message = messageFor(error, field);
          const Input = field === 'subject' ? 'input' : 'textarea';
          return (
            <div className="field" key={field}>
              <label htmlFor={fieldId}>{LABELS[field]}</label>
              <Input
                id={fieldId}
                value={copy[field] ?? ''}
                readOnly={!editable}
                rows={field === 'subject' ? undefined : field === 'body' ? 6 : 3}
                aria-invalid={message ? true : undefined}
                aria-describedby={`${fieldId}-count${message ? ` ${fieldId}-error` : ''}`}
                onChange={(e) => setCopy((c) => ({ ...c, [field]: e.target.value }))}
              />
              <CopyLimit id={`${fieldId}-count`} field={field} text={copy[field] ?? ''} />
              <FieldMessage id={`${fieldId}-error`} message={message} />
            </div>
          );
        })}
        {editable && (
          <div className="row">
            <button type="submit" className="primary" disabled={busy || changed.length === 0}>
              Save copy
            </button>
            {v.status === 'active' && !killing && (
              <button type="button" disabled={busy} onClick={() => setKilling(true)}>
                Kill…
              </button>
            )}
            {v.status === 'killed' && (
              <button
                type="button"
                disabled={busy}
                onClick={() => void patch({ status: 'active' }, `Variant ${v.variant_label} restored.`)}
              >
                Restore
              </button>
            )}
            {busy && <Spinner label="Saving the variant" />}
          </div>
        )}
        {killing && (
          <div className="field kill-reason">
            <label htmlFor={`${id}-reason`}>Why kill variant {v.variant_label}?</label>
            <input id={`${id}-reason`} value={reason} onChange={(e) => setReason(e.target.value)} />
            <FieldMessage id={`${id}-reason-error`} message={messageFor(error, 'kill_reason')} />
            <div className="row">
              <button
                type="button"
                className="danger"
                disabled={busy}
                onClick={() =>
                  void patch(
                    { status: 'killed', kill_reason: reason.trim() || null },
                    `Variant ${v.variant_label} killed: it sends no more.`,
                  )
                }
              >
                Kill variant {v.variant_label}
              </button>
              <button type="button" onClick={() => setKilling(false)}>
                Cancel
              </button>
            </div>
          </div>
        )}
        {general && (
          <p className="field-error" role="alert">
            {general}
          </p>
        )}
      </div>
      <Stats variant={v} />
    </form>
  );
}
