// One ledger entry: what the engine did (or suggests) to which campaign, why, how sure it was, the
// state change, and what a person may do with it: approve or dismiss a suggestion (member), roll
// back an executed change (admin).
import { useState } from 'react';
import type { ActionType } from '../../../src/contract/action-vocabulary.ts';
import type { ActionRecord } from '../../../src/contract/actions.ts';
import { ApiError, request } from '../api/client.ts';
import { useSession } from '../auth/session-context.tsx';
import { ActionIcon } from '../components/action-icon.tsx';
import { Badge } from '../components/badge.tsx';
import { ConfirmButton } from '../components/confirm-button.tsx';
import { Spinner } from '../components/status.tsx';
import { dateTime } from '../lib/format.ts';
import { href } from '../lib/route.ts';
import { ActionProblem } from './actions-problem.tsx';
import { confidence, StateDiff } from './actions-state-diff.tsx';

/** Every type the ledger holds (the API's enum, so the filter offers each one), in words. */
export const ACTION_TYPE_LABELS: Record<ActionType, string> = {
  auto_pause: 'Pause',
  auto_scale_up: 'Scale up',
  auto_resume: 'Resume (revive)',
  auto_post: 'Post',
  notify: 'Notify',
  rollback: 'Undo (rollback record)',
  external_change: 'Changed on the ad platform (outside Nightshift)',
  manual_pause: 'Paused by hand',
  manual_resume: 'Resumed by hand',
  kill_variant: 'Stop a losing variant',
  rewrite_email_subject: 'Rewrite an e-mail subject',
  rewrite_email_body: 'Rewrite an e-mail body',
  rewrite_sms_copy: 'Rewrite SMS copy',
  rewrite_voice_script: 'Rewrite a voice script',
  change_delay: 'Change a step’s delay',
};

/**
 * The rules' own actions: a person's rollback or dismissal of one holds back every rule doing the
 * same to that campaign for a while (docs/respite.md); the CMO loop's changes are not rules'.
 */
const RULE_ACTIONS = new Set(['auto_pause', 'auto_scale_up', 'auto_post']);

function typeLabel(type: string): string {
  if (type === 'rollback') return 'Undo';
  return ACTION_TYPE_LABELS[type as ActionType] ?? type.replaceAll('_', ' ');
}

/**
 * Rollback restores the previous state; notify and rollback rows changed nothing to restore, and a
 * change made on the ad platform outside Nightshift is not Nightshift's to undo.
 */
const RECORD_ONLY = new Set(['notify', 'rollback', 'external_change']);
const canRollBack = (a: ActionRecord) => a.status === 'executed' && !RECORD_ONLY.has(a.action_type);

type Decision = 'approve' | 'dismiss' | 'rollback';
const VERBS: Record<Decision, { verb: string; done: string }> = {
  approve: { verb: 'approve', done: 'Approved: the change was applied.' },
  dismiss: { verb: 'dismiss', done: 'Dismissed.' },
  rollback: { verb: 'roll back', done: 'Rolled back: the campaign’s previous state is restored.' },
};

/**
 * What a decision did, from the action as the server answered it. A linked campaign's change is
 * made on its ad platform first (docs/ad-platforms.md, "Decisions out"): the approved action is
 * `applying`, a rolled-back one stays `executed` until the platform confirms, and nobody is told
 * "applied" before then.
 */
function outcomeOf(decision: Decision, action: ActionRecord, updated: ActionRecord): string {
  if (decision === 'approve' && updated.status === 'applying') {
    return 'Approved: sent to the ad platform. The campaign changes once the platform confirms.';
  }
  if (decision === 'rollback' && updated.status !== 'rolled_back') {
    return 'Rollback sent to the ad platform: the campaign’s previous state is restored once the platform confirms.';
  }
  if (decision === 'dismiss' && RULE_ACTIONS.has(action.action_type)) {
    return 'Dismissed: not suggested again for the dismissal respite set under Rules, unless the evidence for it moves materially.';
  }
  return VERBS[decision].done;
}

/** Who decided, on every row: the person (or API key) who approved, dismissed or rolled back, else the engine. */
function deciders(a: ActionRecord): string[] {
  const by = a.decided_by_name;
  const lines: string[] = [];
  if (a.action_type === 'rollback') lines.push(`Rolled back by ${by ?? 'the engine'}`);
  else if (a.status === 'pending') lines.push('Suggested by the engine: waiting for a person');
  else if (a.status === 'dismissed') lines.push(`Dismissed by ${by ?? 'nobody recorded'}`);
  else if (a.status === 'superseded') lines.push('Replaced by a newer suggestion');
  else if (by) lines.push(`Approved by ${by}`);
  else if (a.action_type === 'external_change') lines.push('Made on the ad platform');
  else lines.push('By the engine (autopilot)');
  if (a.status === 'rolled_back') lines.push(`Rolled back by ${a.rolled_back_by_name ?? 'the engine'}`);
  return lines;
}

export function ActionRow({
  action,
  selected,
  onSelect,
  onChanged,
  onRefused,
}: {
  action: ActionRecord;
  /** Whether the row is in the bulk selection; undefined when it cannot be selected. */
  selected?: boolean;
  onSelect: (selected: boolean) => void;
  /** The action as the server answered after a decision. */
  onChanged: (action: ActionRecord) => void;
  /** The server refused (it may know something newer than this page). */
  onRefused: () => void;
}) {
  const { can } = useSession();
  const [busy, setBusy] = useState<Decision>();
  const [problem, setProblem] = useState<{ decision: Decision; error: Error }>();
  const [outcome, setOutcome] = useState<string>();

  async function decide(decision: Decision) {
    setBusy(decision);
    setProblem(undefined);
    setOutcome(undefined);
    try {
      const updated = await request<ActionRecord>(`/api/actions/${action.id}/${decision}`, { method: 'POST' });
      setOutcome(outcomeOf(decision, action, updated));
      onChanged(updated);
    } catch (error) {
      setProblem({ decision, error: error as Error });
      if (error instanceof ApiError && (error.status === 409 || error.status === 404)) onRefused();
    } finally {
      setBusy(undefined);
    }
  }

  const pending = action.status === 'pending';
  const showApprove = pending && can('member');
  const showRollback = canRollBack(action) && can('admin');
  const controls = showApprove || showRollback;

  return (
    <li className="action-row" data-testid="action-row" data-id={action.id}>
      <span className="action-lead">
        <ActionIcon type={action.action_type} />
        {selected !== undefined && (
          <input
            type="checkbox"
            checked={selected}
            onChange={(e) => onSelect(e.target.checked)}
            aria-label={`Select the suggestion for ${action.campaign_title}`}
          />
        )}
      </span>
      <div className="action-main">
        <div className="row">
          <strong>{typeLabel(action.action_type)}</strong>
          <a href={href('campaigns', action.campaign_id)}>{action.campaign_title}</a>
          <Badge value={action.status} />
        </div>
        <p className="action-reason">{action.reason}</p>
        <StateDiff before={action.previous_state} after={action.new_state} />
        {action.status === 'applying' ? (
          <p className="tone-warn small" data-testid="action-applying">
            Waiting for the ad platform to confirm: not applied yet.
            {action.error && ` The last attempt: ${action.error}`}
          </p>
        ) : (
          action.error && <p className="tone-bad small">Failed: {action.error}</p>
        )}
        <p className="small muted action-meta">
          {action.confidence_score !== null && <span>Confidence {confidence(action.confidence_score)}</span>}
          {action.rule_name && <span>Rule: {action.rule_name}</span>}
          <span>
            <time dateTime={action.created_at}>{dateTime(action.created_at)}</time>
          </span>
          {deciders(action).map((line) => (
            <span key={line} data-testid="action-decider">
              {line}
            </span>
          ))}
          {action.rolled_back_at && <span>Rolled back {dateTime(action.rolled_back_at)}</span>}
          {action.expected_impact && <span>Expected: {action.expected_impact}</span>}
        </p>
        {outcome && (
          <p className="small tone-good" role="status">
            {outcome}
          </p>
        )}
      </div>
      {controls && (
        <div className="action-controls">
          {showApprove && (
            <>
              <button type="button" className="primary" disabled={busy !== undefined} onClick={() => decide('approve')}>
                {busy === 'approve' && <Spinner label="Approving" />}
                Approve
              </button>
              <button type="button" disabled={busy !== undefined} onClick={() => decide('dismiss')}>
                {busy === 'dismiss' && <Spinner label="Dismissing" />}
                Dismiss
              </button>
            </>
          )}
          {showRollback && (
            <>
              {busy === 'rollback' && <Spinner label="Rolling back" />}
              <ConfirmButton
                label="Rollback"
                className="danger"
                title="Roll back this action?"
                disabled={busy !== undefined}
                onConfirm={() => decide('rollback')}
              >
                {action.action_type === 'auto_post' ? (
                  <p>The scheduled post for “{action.campaign_title}” is cancelled, unless it is already published.</p>
                ) : (
                  <>
                    <p>
                      “{action.campaign_title}” goes back to its state before this {typeLabel(action.action_type)}{' '}
                      action:
                    </p>
                    <StateDiff before={action.new_state} after={action.previous_state} />
                  </>
                )}
                <p className="small muted">
                  This is refused if the campaign changed since.
                  {RULE_ACTIONS.has(action.action_type) &&
                    ' Then no rule does the same to this campaign, not only the rule that acted, for the rollback cooldown set under Rules.'}
                </p>
              </ConfirmButton>
            </>
          )}
        </div>
      )}
      {problem && (
        <ActionProblem
          error={problem.error}
          verb={VERBS[problem.decision].verb}
          campaign={{ id: action.campaign_id, title: action.campaign_title }}
          onClose={() => setProblem(undefined)}
        />
      )}
    </li>
  );
}
