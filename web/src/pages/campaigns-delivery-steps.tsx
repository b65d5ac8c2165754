// A campaign's steps and their variants as sent: each variant's messages and what came of them,
// with the rates per message sent.
import type { DeliveryStep } from '../../../src/contract/delivery.ts';
import { Badge } from '../components/badge.tsx';
import { Empty } from '../components/status.tsx';
import { count, percent } from '../lib/format.ts';

type Count = 'opens' | 'clicks' | 'replies' | 'bounces' | 'unsubscribes';
const COUNTS: [Count, string][] = [
  ['opens', 'Opens'],
  ['clicks', 'Clicks'],
  ['replies', 'Replies'],
  ['bounces', 'Bounces'],
  ['unsubscribes', 'Unsubscribes'],
];
const CHANNEL: Record<DeliveryStep['channel'], string> = { email: 'E-mail', sms: 'SMS' };

export function DeliverySteps({ steps }: { steps: DeliveryStep[] }) {
  if (steps.length === 0) return <Empty>No e-mail or SMS steps.</Empty>;
  return (
    <div className="table-wrap">
      <table className="delivery-steps" aria-label="Steps and variants">
        <thead>
          <tr>
            <th>Variant</th>
            <th className="num" title="Messages that went out; the rates beside each count are per message sent">
              Sends
            </th>
            {COUNTS.map(([key, label]) => (
              <th key={key} className="num">
                {label}
              </th>
            ))}
          </tr>
        </thead>
        {steps.map((step) => (
          <tbody key={step.asset_id}>
            <tr className="step-head">
              <th colSpan={COUNTS.length + 2} scope="rowgroup">
                Step {step.step_index + 1} · {CHANNEL[step.channel]} · <span className="muted">{step.name}</span>
              </th>
            </tr>
            {step.variants.length === 0 && (
              <tr>
                <td colSpan={COUNTS.length + 2} className="muted">
                  No variants.
                </td>
              </tr>
            )}
            {step.variants.map((v) => (
              <tr key={v.variant_id} data-testid="delivery-variant" data-id={v.variant_id}>
                <td>
                  <strong>{v.label}</strong> {v.status === 'killed' && <Badge value="killed" />}
                </td>
                <td className="num">{count(v.sends)}</td>
                {COUNTS.map(([key]) => (
                  <td key={key} className="num">
                    {count(v[key])} <span className="muted small">{v.sends > 0 ? percent(v[key] / v.sends) : ''}</span>
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        ))}
      </table>
    </div>
  );
}
