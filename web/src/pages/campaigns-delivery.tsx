// A campaign's delivery (GET /api/campaigns/{id}/delivery): the funnel of its recipients, and each
// step's variants with what their messages came to. Shown on the campaign's page when it has
// e-mail or SMS steps or recipients.
import type { CampaignDelivery as Delivery } from '../../../src/contract/delivery.ts';
import { FUNNEL_STAGES, type FunnelStage } from '../../../src/contract/delivery-vocabulary.ts';
import { useApi } from '../api/use-api.ts';
import { FunnelChart } from '../components/funnel-chart.tsx';
import { Async, Empty } from '../components/status.tsx';
import { DeliverySteps } from './campaigns-delivery-steps.tsx';
import './delivery.css';

const LABELS: Record<FunnelStage, string> = {
  queued: 'Queued',
  sent: 'Sent',
  delivered: 'Delivered',
  opened: 'Opened',
  clicked: 'Clicked',
  replied: 'Replied',
  bounced: 'Bounced',
  unsubscribed: 'Unsubscribed',
};
const EXITS: readonly FunnelStage[] = ['bounced', 'unsubscribed'];

export function CampaignDelivery({ campaignId }: { campaignId: string }) {
  const loaded = useApi<Delivery>(`/api/campaigns/${encodeURIComponent(campaignId)}/delivery`);
  return (
    <section className="campaign-delivery" aria-labelledby="delivery-title">
      <h2 id="delivery-title">Delivery</h2>
      <Async loaded={loaded} what="the delivery">
        {({ funnel, steps }) =>
          funnel.queued === 0 && steps.length === 0 ? (
            <Empty>This campaign sends no e-mail or SMS: it has no recipients and no message steps.</Empty>
          ) : (
            <div className="delivery-grid">
              <div>
                <FunnelChart
                  title="Delivery funnel"
                  bars={FUNNEL_STAGES.map((stage) => ({
                    key: stage,
                    label: LABELS[stage],
                    value: funnel[stage],
                    exit: EXITS.includes(stage),
                  }))}
                />
                <p className="muted small">
                  Recipients by the furthest stage they reached: each counts in its stage and every one above it
                  (delivered includes those who opened, clicked or replied). Bounced and unsubscribed are ways out.
                </p>
              </div>
              <DeliverySteps steps={steps} />
            </div>
          )
        }
      </Async>
    </section>
  );
}
