// One rule in the list: what it checks and does, its priority and state, and (by role) its
// switch, reorder buttons, Edit (the inline form), Delete (asked first), Preview, and its History.
import { useState } from 'react';
import type { RulePreview, RuleRecord } from '../../../src/contract/rules.ts';
import { request } from '../api/client.ts';
import { ErrorNotice, Spinner } from '../components/status.tsx';
import { dateTime } from '../lib/format.ts';
import { DeleteRule } from './rules-delete.tsx';
import { isCustomDescription } from './rules-description.ts';
import { RuleForm } from './rules-form.tsx';
import { RuleHistory } from './rules-history.tsx';
import { actionText, conditionText, draftOf, type Tenant } from './rules-model.ts';
import { PreviewResult } from './rules-preview.tsx';

const TYPE_TONES: Record<string, string> = { pause: 'orange', scale: 'green', notify: 'blue', post: 'grey' };

export interface RowPermissions {
  /** Switch, reorder, edit, delete: the routes' `access: 'admin'`. */
  manage: boolean;
  /** Preview: `access: 'member'`. */
  preview: boolean;
}

export function RuleRow({
  rule,
  first,
  last,
  may,
  editing,
  moving,
  tenant,
  currency,
  onEdit,
  onCloseEdit,
  onSaved,
  onMove,
  onChanged,
  onDeleted,
}: {
  rule: RuleRecord;
  first: boolean;
  last: boolean;
  may: RowPermissions;
  editing: boolean;
  /** A reorder is in flight (any rule's): the buttons wait. */
  moving: boolean;
  tenant: Tenant | undefined;
  currency: string;
  onEdit: () => void;
  onCloseEdit: () => void;
  onSaved: (saved: RuleRecord) => void;
  onMove: (delta: -1 | 1) => void;
  onChanged: () => void;
  onDeleted: () => void;
}) {
  const preview = useSavedPreview(rule, currency);
  const [history, setHistory] = useState(false);
  return (
    <li className={`rule-row${rule.is_active ? '' : ' inactive'}`} data-testid="rule-row" data-id={rule.id}>
      <div className="rule-summary">
        <div className="rule-text">
          <div className="row rule-title">
            <span className="priority" title="Priority: higher runs first">
              <span className="visually-hidden">Priority </span>
              {rule.priority}
            </span>
            <strong className="rule-name">{rule.rule_name}</strong>
            <span className={`badge ${TYPE_TONES[rule.rule_type] ?? 'grey'}`}>{rule.rule_type}</span>
            {!may.manage && (
              <span className={`badge ${rule.is_active ? 'green' : 'grey'}`}>
                {rule.is_active ? 'active' : 'inactive'}
              </span>
            )}
          </div>
          <p className="rule-line">
            <span className="muted">When</span> {conditionText(rule.condition, currency)}
          </p>
          <p className="rule-line">
            <span className="muted">Then</span> {actionText(rule.action, currency)}
          </p>
          {rule.description && (
            <p className="muted small rule-description">
              {rule.description}
              {isCustomDescription(rule.description, draftOf(rule)) && (
                <span
                  className="badge grey"
                  title="It states none of the rule's thresholds: written by hand, left as written"
                >
                  custom
                </span>
              )}
            </p>
          )}
          <p className="muted small">Last changed {dateTime(rule.updated_at)}</p>
        </div>
        {!editing && (
          <div className="rule-controls">
            {may.manage && <ActiveSwitch rule={rule} onChanged={onChanged} />}
            {may.manage && (
              <div className="row reorder">
                <button
                  type="button"
                  aria-label={`Move ${rule.rule_name} up`}
                  title="Higher priority"
                  disabled={first || moving}
                  onClick={() => onMove(-1)}
                >
                  ↑
                </button>
                <button
                  type="button"
                  aria-label={`Move ${rule.rule_name} down`}
                  title="Lower priority"
                  disabled={last || moving}
                  onClick={() => onMove(1)}
                >
                  ↓
                </button>
              </div>
            )}
            {may.preview && preview.button}
            {may.manage && (
              <button type="button" onClick={onEdit}>
                Edit
              </button>
            )}
            {may.manage && <DeleteRule rule={rule} onDeleted={onDeleted} />}
            <button type="button" aria-expanded={history} onClick={() => setHistory(!history)}>
              History
            </button>
          </div>
        )}
      </div>
      {editing ? (
        <RuleForm rule={rule} tenant={tenant} currency={currency} onSaved={onSaved} onCancel={onCloseEdit} />
      ) : (
        may.preview && preview.panel
      )}
      {history && !editing && <RuleHistory key={rule.updated_at} ruleId={rule.id} currency={currency} />}
    </li>
  );
}

/** The rule's on/off switch: saved at once (PUT /api/rules/{id}/active). */
function ActiveSwitch({ rule, onChanged }: { rule: RuleRecord; onChanged: () => void }) {
  const [pending, setPending] = useState<boolean>();
  // The switch's answer, shown until the reloaded list is at least as new.
  const [saved, setSaved] = useState<RuleRecord>();
  const [error, setError] = useState<Error>();

  async function change(active: boolean) {
    setPending(active);
    setError(undefined);
    try {
      setSaved(
        await request<RuleRecord>(`/api/rules/${rule.id}/active`, { method: 'PUT', body: { is_active: active } }),
      );
      onChanged();
    } catch (failure) {
      setError(failure as Error);
    } finally {
      setPending(undefined);
    }
  }

  const stored = saved && saved.updated_at > rule.updated_at ? saved.is_active : rule.is_active;
  const checked = pending ?? stored;
  const id = `active-${rule.id}`;
  return (
    <div className="active-switch">
      <input
        id={id}
        type="checkbox"
        className="switch"
        checked={checked}
        disabled={pending !== undefined}
        aria-label={`Active: ${rule.rule_name}`}
        onChange={(e) => void change(e.target.checked)}
      />
      <label htmlFor={id} aria-hidden="true">
        {checked ? 'Active' : 'Inactive'}
      </label>
      {pending !== undefined && <Spinner label="Saving" />}
      {error && (
        <p className="field-error" role="alert">
          Not saved: {error.message}
        </p>
      )}
    </div>
  );
}

/** Preview of the stored rule (an inactive one as if switched on): its button and its result. */
function useSavedPreview(rule: RuleRecord, currency: string) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<RulePreview>();
  const [error, setError] = useState<Error>();

  async function run() {
    setBusy(true);
    setError(undefined);
    setOpen(true);
    try {
      setResult(await request<RulePreview>(`/api/rules/${rule.id}/preview`, { method: 'POST' }));
    } catch (failure) {
      setResult(undefined);
      setError(failure as Error);
    } finally {
      setBusy(false);
    }
  }

  const button = (
    <button type="button" disabled={busy} onClick={() => void run()}>
      {busy && <Spinner label="Previewing" />}
      Preview
    </button>
  );
  const panel = open && (
    <div className="saved-preview">
      {!rule.is_active && <p className="muted small">Inactive: previewed as if switched on.</p>}
      {busy && !result && <p className="muted small">Working out what this rule would do now…</p>}
      {error && <ErrorNotice error={error} retry={() => void run()} />}
      {result && (
        <>
          <PreviewResult preview={result} currency={currency} />
          <div className="row preview-actions">
            <button type="button" className="link" onClick={() => setOpen(false)}>
              Hide preview
            </button>
          </div>
        </>
      )}
    </div>
  );
  return { button, panel };
}
