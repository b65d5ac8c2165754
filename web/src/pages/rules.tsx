// The Rules tab: the tenant's autonomous rules, highest priority first, with the autonomy switch
// above them. Admins switch, reorder, edit and create rules; members and admins preview them.
import { useState } from 'react';
import type { RuleList, RuleRecord } from '../../../src/contract/rules.ts';
import { request } from '../api/client.ts';
import { useApi } from '../api/use-api.ts';
import { useSession } from '../auth/session-context.tsx';
import { Async, Empty, ErrorNotice, Spinner } from '../components/status.tsx';
import { AutonomyOffBanner, AutonomySwitch } from './rules-autonomy.tsx';
import { RulesBacktest } from './rules-backtest-all.tsx';
import { CooldownEditor } from './rules-cooldowns.tsx';
import { RuleForm } from './rules-form.tsx';
import type { Tenant } from './rules-model.ts';
import { RuleRow } from './rules-row.tsx';
import './rules.css';

/** Which form is open: one at a time, so one Save and one Preview are on screen. */
type Editing = { kind: 'new' } | { kind: 'rule'; id: string } | undefined;

export function RulesPage() {
  const { me, currency, can } = useSession();
  const rules = useApi<RuleList>('/api/rules');
  const tenant = useApi<Tenant>(`/api/tenants/${me.tenant.id}`);
  const [editing, setEditing] = useState<Editing>();
  const [outcome, setOutcome] = useState<string>();
  const [moving, setMoving] = useState(false);
  const [moveError, setMoveError] = useState<Error>();
  const may = { manage: can('admin'), preview: can('member') };

  function saved(rule: RuleRecord, created: boolean) {
    setEditing(undefined);
    setOutcome(`${created ? 'Created' : 'Saved'} “${rule.rule_name}”.`);
    rules.reload();
  }

  /** Swaps a rule with its neighbour: the reorder route takes every rule, highest priority first. */
  async function move(list: RuleRecord[], index: number, delta: -1 | 1) {
    const ids = list.map((r) => r.id);
    const other = index + delta;
    if (other < 0 || other >= ids.length) return;
    [ids[index], ids[other]] = [ids[other]!, ids[index]!];
    setMoving(true);
    setMoveError(undefined);
    setOutcome(undefined);
    try {
      await request('/api/rules/reorder', { method: 'POST', body: { rule_ids: ids } });
      setOutcome(`Moved “${list[index]!.rule_name}” ${delta < 0 ? 'up' : 'down'}.`);
    } catch (failure) {
      setMoveError(failure as Error);
    } finally {
      setMoving(false);
      rules.reload();
    }
  }

  return (
    <div className="rules-page">
      <AutonomyOffBanner tenant={tenant.data} />
      <div className="row spread rules-head">
        <h1>Rules</h1>
        {may.manage && editing?.kind !== 'new' && (
          <button
            type="button"
            className="primary"
            onClick={() => {
              setOutcome(undefined);
              setEditing({ kind: 'new' });
            }}
          >
            New rule
          </button>
        )}
      </div>
      <AutonomySwitch tenant={tenant} mayChange={may.manage} />
      {may.manage && <CooldownEditor tenant={tenant} />}

      {outcome && (
        <p className="notice good" role="status">
          {outcome}
        </p>
      )}
      {moveError && <ErrorNotice error={moveError} />}

      {may.manage && editing?.kind === 'new' && (
        <div className="panel new-rule">
          <RuleForm
            tenant={tenant.data}
            currency={currency}
            onSaved={(rule) => saved(rule, true)}
            onCancel={() => setEditing(undefined)}
          />
        </div>
      )}

      <Async loaded={rules} what="rules">
        {({ data }) =>
          data.length === 0 ? (
            <Empty>No rules yet.{may.manage ? ' Create one with “New rule”.' : ''}</Empty>
          ) : (
            <>
              <p className="muted small rules-count">
                {data.length} rule{data.length === 1 ? '' : 's'}, highest priority first: each cycle tries them in this
                order, and a rule acting on a campaign goes before lower ones.
                {rules.loading && <Spinner label="Refreshing rules" />}
              </p>
              <ol className="rule-list">
                {data.map((rule, index) => (
                  <RuleRow
                    key={rule.id}
                    rule={rule}
                    first={index === 0}
                    last={index === data.length - 1}
                    may={may}
                    editing={editing?.kind === 'rule' && editing.id === rule.id}
                    moving={moving}
                    tenant={tenant.data}
                    currency={currency}
                    onEdit={() => {
                      setOutcome(undefined);
                      setEditing({ kind: 'rule', id: rule.id });
                    }}
                    onCloseEdit={() => setEditing(undefined)}
                    onSaved={(updated) => saved(updated, false)}
                    onMove={(delta) => void move(data, index, delta)}
                    onChanged={rules.reload}
                    onDeleted={() => {
                      setOutcome(`Deleted “${rule.rule_name}”.`);
                      rules.reload();
                    }}
                  />
                ))}
              </ol>
            </>
          )
        }
      </Async>
      {may.preview && <RulesBacktest currency={currency} />}
    </div>
  );
}
