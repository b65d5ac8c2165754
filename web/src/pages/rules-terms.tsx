// The condition's terms in the rule form: metric, window, operator and threshold each, added and
// removed (1 to 10, as the API allows), and whether all or any must hold.

import { OPERATORS, WINDOWS } from '../../../src/contract/rule-vocabulary.ts';
import { metricName, RULE_METRICS, type RuleMetric } from '../../../src/domain/metrics.ts';
import { FieldMessage, messageFor, NumberField, SelectField } from './rules-fields.tsx';
import { newTerm, type RuleDraft, type TermDraft, unitHint, windowLabel } from './rules-model.ts';

const MAX_TERMS = 10;
const metricOptions = RULE_METRICS.map((m) => ({ value: m, label: metricName(m) }));
const windowOptions = WINDOWS.map((w) => ({ value: w, label: windowLabel(w) }));
const operatorOptions = OPERATORS.map((o) => ({ value: o, label: o }));

/** A visible short label; screen readers also hear which term it belongs to. */
function TermLabel({ name, index }: { name: string; index: number }) {
  return (
    <>
      {name}
      <span className="visually-hidden"> (term {index + 1})</span>
    </>
  );
}

export function TermsEditor({
  idPrefix,
  draft,
  error,
  currency,
  onChange,
}: {
  idPrefix: string;
  draft: RuleDraft;
  error: Error | undefined;
  currency: string;
  onChange: (terms: TermDraft[], match?: RuleDraft['match']) => void;
}) {
  const { terms } = draft;
  const update = (key: number, change: Partial<TermDraft>) =>
    onChange(terms.map((t) => (t.key === key ? { ...t, ...change } : t)));
  return (
    <fieldset className="rule-fieldset">
      <legend>Condition</legend>
      {terms.length > 1 && (
        <SelectField
          id={`${idPrefix}-match`}
          label="Terms that must hold"
          className="narrow"
          value={draft.match}
          options={[
            { value: 'all', label: 'All of them' },
            { value: 'any', label: 'Any one of them' },
          ]}
          error={messageFor(error, 'condition.match')}
          onChange={(match) => onChange(terms, match)}
        />
      )}
      <ol className="terms">
        {terms.map((term, i) => {
          const path = `condition.terms.${i}`;
          const id = `${idPrefix}-term-${term.key}`;
          return (
            <li key={term.key} className="term">
              <span className="term-number" aria-hidden="true">
                {i + 1}
              </span>
              <SelectField
                id={`${id}-metric`}
                label={<TermLabel name="Metric" index={i} />}
                value={term.metric}
                options={metricOptions}
                error={messageFor(error, `${path}.metric`)}
                onChange={(metric: RuleMetric) => update(term.key, { metric })}
              />
              <SelectField
                id={`${id}-window`}
                label={<TermLabel name="Window" index={i} />}
                value={term.window}
                options={windowOptions}
                error={messageFor(error, `${path}.window`)}
                onChange={(window) => update(term.key, { window })}
              />
              <SelectField
                id={`${id}-operator`}
                label={<TermLabel name="Operator" index={i} />}
                className="narrow"
                value={term.operator}
                options={operatorOptions}
                error={messageFor(error, `${path}.operator`)}
                onChange={(operator) => update(term.key, { operator })}
              />
              <NumberField
                id={`${id}-threshold`}
                label={<TermLabel name="Threshold" index={i} />}
                value={term.threshold}
                hint={unitHint(term.metric, currency)}
                error={messageFor(error, `${path}.threshold`)}
                onChange={(threshold) => update(term.key, { threshold })}
              />
              {terms.length > 1 && (
                <button
                  type="button"
                  className="term-remove"
                  aria-label={`Remove term ${i + 1}`}
                  onClick={() => onChange(terms.filter((t) => t.key !== term.key))}
                >
                  Remove
                </button>
              )}
              <FieldMessage id={`${id}-error`} message={messageFor(error, path, true)} />
            </li>
          );
        })}
      </ol>
      <FieldMessage id={`${idPrefix}-terms-error`} message={messageFor(error, 'condition.terms', true)} />
      {terms.length < MAX_TERMS && (
        <button type="button" onClick={() => onChange([...terms, newTerm()])}>
          Add term
        </button>
      )}
    </fieldset>
  );
}
