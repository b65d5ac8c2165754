// What one rule would do now (the API's dry run, nothing written): the campaigns it would act on
// or suggest for, the matches a guardrail would stop, and what it would have done over the last
// days (its backtest).

import type { DecisionReport } from '../../../src/contract/cycles.ts';
import type { RulePreview } from '../../../src/contract/rules.ts';
import { actionLabel } from '../components/action-icon.tsx';
import { Empty } from '../components/status.tsx';
import { dateTime, money, percent } from '../lib/format.ts';
import { href } from '../lib/route.ts';
import { BacktestResult } from './rules-backtest.tsx';

function change(d: DecisionReport, currency: string): string {
  switch (d.action_type) {
    case 'auto_scale_up':
      return `Budget ${money(d.previous_state.budget, currency)} → ${money(d.new_state.budget, currency)}`;
    case 'auto_pause':
      return `${d.previous_state.status} → ${d.new_state.status}`;
    case 'auto_post':
      return d.new_state.platforms?.length ? `Post to ${d.new_state.platforms.join(', ')}` : 'Post';
    default:
      return 'Notification only';
  }
}

export function PreviewResult({ preview, currency }: { preview: RulePreview; currency: string }) {
  return (
    <section className="rule-preview" aria-label={`Preview of ${preview.rule_name}`}>
      <p className="muted small">
        Would do now (evaluated {dateTime(preview.evaluated_at)}; as if it were the only rule, nothing is changed):
      </p>
      {preview.decisions.length === 0 ? (
        <Empty>No campaign matches this rule now.</Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Campaign</th>
                <th>Would</th>
                <th>Change</th>
                <th className="num">ROI</th>
                <th className="num">Confidence</th>
                <th>Reason</th>
              </tr>
            </thead>
            <tbody>
              {preview.decisions.map((d) => (
                <tr key={`${d.campaign_id}/${d.action_type}`}>
                  <td>
                    <a href={href('campaigns', d.campaign_id)}>{d.title}</a>
                  </td>
                  <td className="nowrap">
                    {actionLabel(d.action_type)}{' '}
                    {d.mode === 'execute' ? (
                      <span className="badge green" title="The campaign's autopilot acts on its own">
                        acts
                      </span>
                    ) : (
                      <span className="badge blue" title="Stored as a suggestion for a person to approve">
                        suggests
                      </span>
                    )}
                  </td>
                  <td className="nowrap">{change(d, currency)}</td>
                  <td className="num">{d.previous_state.roi === null ? '—' : `${d.previous_state.roi.toFixed(2)}x`}</td>
                  <td className="num">{percent(d.confidence)}</td>
                  <td className="reason">{d.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {preview.guardrail_stops.length > 0 && (
        <>
          <h4>Stopped by guardrails</h4>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>Campaign</th>
                  <th>Guardrail</th>
                  <th>Why</th>
                </tr>
              </thead>
              <tbody>
                {preview.guardrail_stops.map((s) => (
                  <tr key={`${s.campaign_id}/${s.guardrail}`}>
                    <td>
                      <a href={href('campaigns', s.campaign_id)}>{s.title}</a>
                    </td>
                    <td className="nowrap">{s.guardrail.replaceAll('_', ' ')}</td>
                    <td className="reason">{s.detail}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      <BacktestResult backtest={preview.backtest} currency={currency} />
    </section>
  );
}
