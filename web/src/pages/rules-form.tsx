// Editing or creating a rule inline: every field of its definition, the API's validation shown
// next to the input it names, a preview of the rule as edited (nothing stored), and Save.
import { useEffect, useId, useRef, useState } from 'react';
import {
  MAX_MULTIPLIER,
  NOTIFY_SEVERITIES,
  type NotifySeverity,
  RULE_TYPES,
  type RuleType,
} from '../../../src/contract/rule-vocabulary.ts';
import type { RulePreview, RuleRecord } from '../../../src/contract/rules.ts';
import { ApiError, request } from '../api/client.ts';
import { ErrorNotice, Spinner } from '../components/status.tsx';
import { dateTime } from '../lib/format.ts';
import { followDescription, isCustomDescription } from './rules-description.ts';
import { messageFor, NumberField, SelectField, TextField } from './rules-fields.tsx';
import { definitionOf, draftOf, emptyDraft, type RuleDraft, type Tenant } from './rules-model.ts';
import { PreviewResult } from './rules-preview.tsx';
import { TermsEditor } from './rules-terms.tsx';

const TYPE_LABELS: Record<RuleType, string> = {
  pause: 'Pause',
  scale: 'Scale budget',
  notify: 'Notify',
  post: 'Post',
};
const typeOptions = RULE_TYPES.map((t) => ({ value: t, label: TYPE_LABELS[t] }));
const severityOptions: { value: NotifySeverity | ''; label: string }[] = [
  { value: '', label: 'Default' },
  ...NOTIFY_SEVERITIES.map((s) => ({ value: s, label: s })),
];

/** Fields the form shows inline; anything else the API names is listed above the buttons. */
const INLINE =
  /^(rule_name|rule_type|description|priority|is_active|action\.(type|multiplier|max_budget|severity)|condition\.(match|terms|min_spend|min_conversions|min_hours_running)|condition\.terms\.\d+(\.(metric|window|operator|threshold))?)$/;

type Busy = 'save' | 'preview' | undefined;

export function RuleForm({
  rule,
  tenant,
  currency,
  onSaved,
  onCancel,
}: {
  /** The rule being edited; none for a new rule. */
  rule?: RuleRecord;
  tenant: Tenant | undefined;
  currency: string;
  onSaved: (saved: RuleRecord) => void;
  onCancel: () => void;
}) {
  const idPrefix = useId();
  const formRef = useRef<HTMLFormElement>(null);
  // Opening the form moves the keyboard into it (its first input, the name).
  useEffect(() => formRef.current?.querySelector('input')?.focus(), []);
  const [draft, setDraft] = useState<RuleDraft>(() => (rule ? draftOf(rule) : emptyDraft()));
  // The version the edit started from: there is no ETag, so Save first checks nobody changed it since.
  const [baseline, setBaseline] = useState(rule?.updated_at);
  const [conflict, setConflict] = useState<RuleRecord>();
  const [busy, setBusy] = useState<Busy>();
  const [failed, setFailed] = useState<{ error: Error; during: 'save' | 'preview' }>();
  const error = failed?.error;
  const [preview, setPreview] = useState<{ result: RulePreview; of: string }>();

  // An edited number the description states is rewritten in it too (rules-description.ts).
  const set = (change: Partial<RuleDraft>) =>
    setDraft((d) => {
      const next = { ...d, ...change };
      return 'description' in change ? next : { ...next, description: followDescription(d.description, d, next) };
    });
  const body = definitionOf(draft);
  const bodyText = JSON.stringify(body);
  const message = (field: string) => messageFor(error, field);

  async function save() {
    setBusy('save');
    setFailed(undefined);
    try {
      if (rule && !conflict) {
        const latest = await request<RuleRecord>(`/api/rules/${rule.id}`);
        if (latest.updated_at !== baseline) {
          setConflict(latest);
          return;
        }
      }
      const saved = rule
        ? await request<RuleRecord>(`/api/rules/${rule.id}`, { method: 'PUT', body })
        : await request<RuleRecord>('/api/rules', { method: 'POST', body });
      onSaved(saved);
    } catch (failure) {
      setFailed({ error: failure as Error, during: 'save' });
    } finally {
      setBusy(undefined);
    }
  }

  async function runPreview() {
    setBusy('preview');
    setFailed(undefined);
    try {
      const result = await request<RulePreview>('/api/rules/preview', { method: 'POST', body });
      setPreview({ result, of: bodyText });
    } catch (failure) {
      setPreview(undefined);
      setFailed({ error: failure as Error, during: 'preview' });
    } finally {
      setBusy(undefined);
    }
  }

  function takeTheirs(latest: RuleRecord) {
    setDraft(draftOf(latest));
    setBaseline(latest.updated_at);
    setConflict(undefined);
    setFailed(undefined);
  }

  const others = error instanceof ApiError ? error.fields.filter((f) => !INLINE.test(f.field)) : [];
  const title = rule ? `Edit ${rule.rule_name}` : 'New rule';
  const g = tenant?.guardrails;

  return (
    <form
      ref={formRef}
      className="rule-form"
      aria-label={title}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h3>{title}</h3>
      <div className="form-grid">
        <TextField
          id={`${idPrefix}-name`}
          label="Name"
          className="wide"
          required
          value={draft.rule_name}
          error={message('rule_name')}
          onChange={(rule_name) => set({ rule_name })}
        />
        <SelectField
          id={`${idPrefix}-type`}
          label="Type"
          value={draft.rule_type}
          options={typeOptions}
          error={message('rule_type') ?? message('action.type')}
          onChange={(rule_type) => set({ rule_type })}
        />
        <NumberField
          id={`${idPrefix}-priority`}
          label="Priority"
          step="1"
          value={draft.priority}
          hint="0–1000, higher runs first"
          error={message('priority')}
          onChange={(priority) => set({ priority })}
        />
        <div className="field check">
          <input
            id={`${idPrefix}-active`}
            type="checkbox"
            checked={draft.is_active}
            onChange={(e) => set({ is_active: e.target.checked })}
          />
          <label htmlFor={`${idPrefix}-active`}>Active</label>
        </div>
        <TextField
          id={`${idPrefix}-description`}
          label="Description"
          className="full"
          multiline
          value={draft.description}
          error={message('description')}
          onChange={(description) => set({ description })}
        />
        {isCustomDescription(draft.description, draft) && (
          <p className="muted small full" data-testid="custom-description">
            Custom description: it states none of the thresholds below, so it is left as written when they change.
          </p>
        )}
      </div>

      <TermsEditor
        idPrefix={idPrefix}
        draft={draft}
        error={error}
        currency={currency}
        onChange={(terms, match) => set(match ? { terms, match } : { terms })}
      />

      <fieldset className="rule-fieldset">
        <legend>Gates</legend>
        <p className="muted small">The rule leaves a campaign alone until it has reached each gate (empty: no gate).</p>
        <div className="form-grid">
          <NumberField
            id={`${idPrefix}-min-spend`}
            label="Min spend"
            value={draft.min_spend}
            hint={currency}
            error={message('condition.min_spend')}
            onChange={(min_spend) => set({ min_spend })}
          />
          <NumberField
            id={`${idPrefix}-min-conversions`}
            label="Min conversions"
            step="1"
            value={draft.min_conversions}
            error={message('condition.min_conversions')}
            onChange={(min_conversions) => set({ min_conversions })}
          />
          <NumberField
            id={`${idPrefix}-min-hours`}
            label="Min hours running"
            value={draft.min_hours_running}
            hint="hours"
            error={message('condition.min_hours_running')}
            onChange={(min_hours_running) => set({ min_hours_running })}
          />
        </div>
      </fieldset>

      <fieldset className="rule-fieldset">
        <legend>Action</legend>
        {draft.rule_type === 'scale' && (
          <div className="form-grid">
            <NumberField
              id={`${idPrefix}-multiplier`}
              label="Budget multiplier"
              value={draft.multiplier}
              hint={`over 1, at most ${MAX_MULTIPLIER}`}
              error={message('action.multiplier')}
              onChange={(multiplier) => set({ multiplier })}
            />
            <NumberField
              id={`${idPrefix}-max-budget`}
              label="Max budget"
              value={draft.max_budget}
              hint={`${currency}; empty: no cap`}
              error={message('action.max_budget')}
              onChange={(max_budget) => set({ max_budget })}
            />
          </div>
        )}
        {draft.rule_type === 'notify' && (
          <SelectField
            id={`${idPrefix}-severity`}
            label="Severity"
            className="narrow"
            value={draft.severity}
            options={severityOptions}
            error={message('action.severity')}
            onChange={(severity) => set({ severity })}
          />
        )}
        {draft.rule_type === 'pause' && <p className="muted small">Pauses each matching campaign.</p>}
        {draft.rule_type === 'post' && (
          <p className="muted small">Posts about each matching campaign on the tenant’s connected social accounts.</p>
        )}
        {g && (
          <p className="muted small">
            Cooldowns are the tenant’s guardrails, the same for every rule: no second budget change of a campaign within{' '}
            {g.cooldown_hours} h, no second post within {g.post_cooldown_hours} h, no repeated notification within{' '}
            {g.notify_cooldown_hours} h. After a person rolls back a pause, a budget increase or a post of a campaign,
            no rule does the same to it for {g.rollback_cooldown_hours} h; a suggestion a person dismissed is not made
            again for {g.dismissal_respite_days} days unless the evidence for it moved materially.
          </p>
        )}
      </fieldset>

      {conflict && (
        <div className="notice warn" role="alert">
          <p>
            This rule was changed by someone else ({dateTime(conflict.updated_at)}) after you started editing. Save
            again to overwrite their change, or load their version to start from it.
          </p>
          <button type="button" onClick={() => takeTheirs(conflict)}>
            Load their version
          </button>
        </div>
      )}
      {error && !(error instanceof ApiError && error.fields.length > 0) && <ErrorNotice error={error} />}
      {error instanceof ApiError && error.fields.length > 0 && (
        <div className="notice error" role="alert">
          {failed?.during === 'save' ? 'Not saved: ' : 'Cannot preview: '}
          {others.length > 0
            ? others.map((f) => `${f.field}: ${f.message}`).join('; ')
            : 'check the fields marked in red.'}
        </div>
      )}

      <div className="row form-actions">
        <button type="submit" className="primary" disabled={busy !== undefined}>
          {busy === 'save' && <Spinner label="Saving" />}
          Save
        </button>
        <button type="button" disabled={busy !== undefined} onClick={() => void runPreview()}>
          {busy === 'preview' && <Spinner label="Previewing" />}
          Preview
        </button>
        <button type="button" disabled={busy === 'save'} onClick={onCancel}>
          Cancel
        </button>
      </div>

      {preview && (
        <div className="form-preview">
          {preview.of !== bodyText && (
            <p className="notice warn small">The rule changed since this preview: press Preview again.</p>
          )}
          <PreviewResult preview={preview.result} currency={currency} />
        </div>
      )}
    </form>
  );
}
