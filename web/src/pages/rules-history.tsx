// A rule's history (GET /api/rules/{id}/changes), shown under its row: each creation, edit and
// switch, newest first, with who made it and, for an edit, each part that changed as before → after
// in the words the row uses ("ROI over the last 7 days < 0.5").
import type { Page } from '../../../src/contract/page.ts';
import type { RuleChange } from '../../../src/contract/rules.ts';
import { useApi } from '../api/use-api.ts';
import { Async, Empty } from '../components/status.tsx';
import { dateTime } from '../lib/format.ts';
import { actionText, conditionText } from './rules-model.ts';

type Definition = RuleChange['after'];

const HEADLINES: Record<RuleChange['change'], string> = {
  created: 'Created',
  edited: 'Edited',
  switched_on: 'Switched on',
  switched_off: 'Switched off',
};

/** Each part of the definition that differs, as [what, before, after] in words. */
export function differences(before: Definition, after: Definition, currency: string): [string, string, string][] {
  const parts: [string, (d: Definition) => string][] = [
    ['Name', (d) => d.rule_name],
    ['Type', (d) => d.rule_type],
    ['Priority', (d) => String(d.priority)],
    ['When', (d) => conditionText(d.condition, currency)],
    ['Then', (d) => actionText(d.action, currency)],
    ['Description', (d) => d.description ?? '(none)'],
    ['State', (d) => (d.is_active ? 'active' : 'inactive')],
  ];
  return parts
    .map(([what, say]): [string, string, string] => [what, say(before), say(after)])
    .filter(([, was, is]) => was !== is);
}

export function RuleHistory({ ruleId, currency }: { ruleId: string; currency: string }) {
  const loaded = useApi<Page<RuleChange>>(`/api/rules/${ruleId}/changes?limit=50`);
  return (
    <section className="rule-history" aria-label="History">
      <h4>History</h4>
      <Async loaded={loaded} what="the rule’s history">
        {({ data }) =>
          data.length === 0 ? (
            <Empty>No change recorded since histories began: the rule is as it was first stored.</Empty>
          ) : (
            <ol className="rule-changes">
              {data.map((entry) => (
                <li key={entry.id} data-testid="rule-change">
                  <strong>{HEADLINES[entry.change]}</strong>{' '}
                  <span className="muted small">
                    {dateTime(entry.changed_at)} ·{' '}
                    {entry.changed_by_name ?? (entry.changed_by ? 'a former member' : 'an API key')}
                  </span>
                  {entry.change === 'created' && (
                    <div className="small">
                      When {conditionText(entry.after.condition, currency)}, then{' '}
                      {actionText(entry.after.action, currency)}
                    </div>
                  )}
                  {entry.change === 'edited' && entry.before && (
                    <ul className="small">
                      {differences(entry.before, entry.after, currency).map(([what, was, is]) => (
                        <li key={what}>
                          {what}: <del>{was}</del> → <ins>{is}</ins>
                        </li>
                      ))}
                    </ul>
                  )}
                </li>
              ))}
            </ol>
          )
        }
      </Async>
    </section>
  );
}
