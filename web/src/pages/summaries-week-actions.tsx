// What the engine did in the week, and the actions whose actual impact was measured.

import type { WeeklySummary } from '../../../src/contract/weekly-summary.ts';
import { ActionIcon, actionLabel } from '../components/action-icon.tsx';
import { Empty } from '../components/status.tsx';
import { count, dateTime } from '../lib/format.ts';
import { href } from '../lib/route.ts';
import { signedMoney, signedRatio } from './summaries-format.ts';

const tone = (change: number | null, rising = true) =>
  change === null || change === 0 ? '' : change > 0 === rising ? 'tone-good' : 'tone-bad';

export function SummaryActions({ summary }: { summary: WeeklySummary }) {
  const { actions, currency } = summary;
  const byType = Object.entries(actions.executed_by_type).filter(([, n]) => n > 0);
  return (
    <section aria-labelledby="summary-actions-heading">
      <h3 id="summary-actions-heading">Actions taken</h3>
      <ul className="summaries-chips">
        <li>
          <strong>{count(actions.executed)}</strong> executed
        </li>
        {byType.map(([type, n]) => (
          <li key={type}>
            <ActionIcon type={type} /> {actionLabel(type)} <strong>{count(n)}</strong>
          </li>
        ))}
        <li>
          <strong>{count(actions.rolled_back)}</strong> rolled back
        </li>
        <li>
          <strong>{count(actions.suggestions_pending)}</strong> suggestions pending
        </li>
      </ul>
      <h4>Measured impact</h4>
      {actions.measured.length === 0 ? (
        <Empty>No action's impact was measured this week.</Empty>
      ) : (
        <>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>Action</th>
                  <th>Campaign</th>
                  <th>Executed</th>
                  <th className="num">Revenue</th>
                  <th className="num">Spend</th>
                  <th className="num">ROI</th>
                </tr>
              </thead>
              <tbody>
                {actions.measured.map((a) => (
                  <tr key={a.action_id} data-testid="action-row" data-id={a.action_id}>
                    <td className="summaries-nowrap">
                      <ActionIcon type={a.action_type} /> {actionLabel(a.action_type)}
                    </td>
                    <td>
                      <a href={href('campaigns', a.campaign_id)}>{a.title}</a>
                    </td>
                    <td className="summaries-nowrap">{dateTime(a.executed_at)}</td>
                    <td className={`num ${tone(a.revenue_change)}`}>{signedMoney(a.revenue_change, currency)}</td>
                    <td className="num">{signedMoney(a.spend_change, currency)}</td>
                    <td className={`num ${tone(a.roi_change)}`}>{signedRatio(a.roi_change)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {actions.measured_count > actions.measured.length && (
            <p className="muted small">
              The {actions.measured.length} largest revenue changes of {count(actions.measured_count)} measured.
            </p>
          )}
        </>
      )}
    </section>
  );
}
