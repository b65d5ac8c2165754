// What a previewed rule would have done over the last days (the preview's backtest block, the rule
// replayed alone with autopilot on) and the money of it, per rule: spend saved and revenue forgone
// by its pauses, spend added and revenue gained by its scales, the net, and how many of its actions
// the campaigns' later stats proved wrong. A rule that would have lost money is said so plainly.

import type { RulePreview } from '../../../src/contract/rules.ts';
import { Empty } from '../components/status.tsx';
import { dayRange, money } from '../lib/format.ts';

export function BacktestResult({ backtest, currency }: { backtest: RulePreview['backtest']; currency: string }) {
  const period = dayRange(backtest.from, backtest.to);
  // A pause rule's scale columns (and the reverse) would be all zeros: shown only when some rule has them.
  const pauses = backtest.rules.some((r) => r.campaigns_paused > 0);
  const scales = backtest.rules.some((r) => r.campaigns_scaled > 0);
  return (
    <div className="rule-backtest">
      <h4>
        Backtest, {period}{' '}
        <span className="muted small">
          (as if it had run each evening with autopilot on; each action judged on up to {backtest.horizon_days} days
          after it)
        </span>
      </h4>
      {backtest.rules.length === 0 ? (
        <Empty>It would not have paused or scaled anything in these days.</Empty>
      ) : (
        <>
          {backtest.rules
            .filter((r) => r.net_negative)
            .map((r) => (
              <p key={r.rule_name} className="notice warn" role="alert">
                <strong>Net negative:</strong> "{r.rule_name}" would have lost {money(-r.net, currency)} over {period}
                {r.paused_proved_good > 0 && `, pausing ${r.paused_proved_good} campaign(s) that went on to earn`}
                {r.scaled_proved_bad > 0 && `, scaling ${r.scaled_proved_bad} campaign(s) that went on to lose money`}.
                Review its thresholds.
              </p>
            ))}
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>Rule</th>
                  {pauses && (
                    <>
                      <th className="num">Paused</th>
                      <th className="num">Spend saved</th>
                      <th className="num">Revenue forgone</th>
                    </>
                  )}
                  {scales && (
                    <>
                      <th className="num">Scaled</th>
                      <th className="num">Spend added</th>
                      <th className="num">Revenue gained</th>
                    </>
                  )}
                  <th className="num">Net</th>
                  {pauses && (
                    <th className="num" title="Pauses of campaigns whose ROI afterwards was 1 or more">
                      Paused, proved good
                    </th>
                  )}
                  {scales && (
                    <th className="num" title="Scales of campaigns whose ROI afterwards was below 1">
                      Scaled, proved bad
                    </th>
                  )}
                  <th className="num" title="Fewer than 3 days of spend afterwards: too little to tell">
                    Undetermined
                  </th>
                </tr>
              </thead>
              <tbody>
                {backtest.rules.map((r) => (
                  <tr key={r.rule_name}>
                    <td>{r.rule_name}</td>
                    {pauses && (
                      <>
                        <td className="num">{r.campaigns_paused}</td>
                        <td className="num">{money(r.spend_saved, currency)}</td>
                        <td className="num">{money(r.revenue_forgone, currency)}</td>
                      </>
                    )}
                    {scales && (
                      <>
                        <td className="num">{r.campaigns_scaled}</td>
                        <td className="num">{money(r.spend_added, currency)}</td>
                        <td className="num">{money(r.revenue_gained, currency)}</td>
                      </>
                    )}
                    <td className={`num ${r.net_negative ? 'net-negative' : 'net-positive'}`}>
                      {money(r.net, currency)}
                    </td>
                    {pauses && <td className="num">{r.paused_proved_good}</td>}
                    {scales && <td className="num">{r.scaled_proved_bad}</td>}
                    <td className="num">{r.undetermined}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="muted small">
            Net = spend saved − revenue forgone + revenue gained − spend added, from the stats the campaigns recorded
            after each action.
          </p>
        </>
      )}
    </div>
  );
}
