// What one cycle did: its counts, the guardrail stops (campaigns a rule matched but a guardrail held
// back), and each decision.

import type { CycleResult } from '../../../src/contract/cycles.ts';
import { ActionIcon } from '../components/action-icon.tsx';
import { Badge } from '../components/badge.tsx';
import { clockTime, percent } from '../lib/format.ts';
import { href } from '../lib/route.ts';

export function OverviewCycleResult({ result }: { result: CycleResult }) {
  const taken = result.actions_taken;
  const counts: [string, number][] = [
    ['paused', taken.campaigns_paused],
    ['scaled', taken.campaigns_scaled],
    ['posted', taken.campaigns_posted],
    ['sent to the ad platforms, not confirmed yet', result.sent_to_ad_platforms],
    ['opportunities detected', taken.opportunities_detected],
    ['suggestions created', result.suggestions_created],
    ['notifications sent', result.notifications_sent],
    ['opportunities resolved', result.opportunities_resolved],
  ];
  return (
    <div className="overview-cycle-result" data-testid="cycle-result">
      <p className="small" role="status">
        <strong>Cycle finished at {clockTime(new Date(result.timestamp))}.</strong>
      </p>
      <ul className="overview-counts">
        {counts.map(([label, value]) => (
          <li key={label}>
            <strong>{value}</strong> {label}
          </li>
        ))}
      </ul>

      <h3>Guardrail stops ({result.guardrail_stops.length})</h3>
      {result.guardrail_stops.length === 0 ? (
        <p className="muted small">No guardrail held anything back.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Campaign</th>
                <th>Rule</th>
                <th>Guardrail</th>
                <th>Detail</th>
              </tr>
            </thead>
            <tbody>
              {result.guardrail_stops.map((stop) => (
                <tr key={`${stop.campaign_id}/${stop.rule}/${stop.guardrail}`} data-testid="guardrail-stop">
                  <td>
                    <a href={href('campaigns', stop.campaign_id)}>{stop.title}</a>
                  </td>
                  <td>{stop.rule}</td>
                  <td>
                    <code>{stop.guardrail}</code>
                  </td>
                  <td>{stop.detail}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {result.decisions.length > 0 && (
        <details className="overview-decisions">
          <summary>Decisions ({result.decisions.length})</summary>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>Action</th>
                  <th>Campaign</th>
                  <th>Mode</th>
                  <th className="num">Confidence</th>
                  <th>Reason</th>
                </tr>
              </thead>
              <tbody>
                {result.decisions.map((d) => (
                  <tr key={`${d.campaign_id}/${d.rule}/${d.action_type}`}>
                    <td>
                      <ActionIcon type={d.action_type} />
                    </td>
                    <td>
                      <a href={href('campaigns', d.campaign_id)}>{d.title}</a>
                    </td>
                    <td>
                      <Badge value={d.mode === 'suggest' ? 'pending' : d.awaiting_platform ? 'applying' : 'executed'} />
                    </td>
                    <td className="num">{percent(d.confidence)}</td>
                    <td>{d.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      )}
    </div>
  );
}
