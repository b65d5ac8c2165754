// The campaigns the next cycle would act on: red cards for the ones it would pause (worst ROI
// first), green cards for the ones it would scale (most confident first).
import type { Loaded } from '../api/use-api.ts';
import { useSession } from '../auth/session-context.tsx';
import { Async, Empty } from '../components/status.tsx';
import { count, dateTime, money, percent, ratio, roiTone } from '../lib/format.ts';
import { href } from '../lib/route.ts';
import type { OverviewCampaigns, ScalingCampaign, UnderperformingCampaign } from './overview-types.ts';

export function OverviewCampaignCards({ loaded }: { loaded: Loaded<OverviewCampaigns> }) {
  return (
    <Async loaded={loaded} what="the campaigns to act on">
      {(campaigns) => (
        <div className="overview-campaigns">
          <section aria-labelledby="underperforming-heading">
            <h2 id="underperforming-heading">Underperforming campaigns ({campaigns.underperforming.length})</h2>
            {campaigns.underperforming.length === 0 ? (
              <Empty>No campaign matches a pause rule right now.</Empty>
            ) : (
              <div className="grid">
                {campaigns.underperforming.map((c) => (
                  <UnderperformingCard key={c.campaign_id} campaign={c} />
                ))}
              </div>
            )}
          </section>
          <section aria-labelledby="scaling-heading">
            <h2 id="scaling-heading">Scaling candidates ({campaigns.scaling.length})</h2>
            {campaigns.scaling.length === 0 ? (
              <Empty>No campaign matches a scaling rule right now.</Empty>
            ) : (
              <div className="grid">
                {campaigns.scaling.map((c) => (
                  <ScalingCard key={c.campaign_id} campaign={c} />
                ))}
              </div>
            )}
          </section>
          <p className="muted small">
            As the next cycle would judge them, evaluated {dateTime(campaigns.evaluated_at)}.
          </p>
        </div>
      )}
    </Async>
  );
}

/** Who acts: the campaign's autopilot on the next cycle, or a person approving a suggestion. */
function Mode({ mode }: { mode: 'execute' | 'suggest' }) {
  return (
    <p className="muted small overview-mode">
      {mode === 'execute' ? 'Autopilot acts on the next cycle' : 'Suggested: a person decides'}
    </p>
  );
}

function Roi({ roi }: { roi: number | null }) {
  return <span className={`tone-${roiTone(roi)}`}>{ratio(roi)}</span>;
}

function UnderperformingCard({ campaign }: { campaign: UnderperformingCampaign }) {
  const { currency } = useSession();
  return (
    <article className="card bad" data-testid="underperforming-card" data-id={campaign.campaign_id}>
      <h3>
        <a href={href('campaigns', campaign.campaign_id)}>{campaign.title}</a>
      </h3>
      <p className="overview-card-roi" title="Lifetime ROI (revenue / spend)">
        ROI <Roi roi={campaign.roi} />
      </p>
      <p className="overview-recommendation">{campaign.recommendation}</p>
      <dl>
        <dt>Spend</dt>
        <dd>{money(campaign.spend, currency)}</dd>
        <dt>CTR</dt>
        <dd>{percent(campaign.ctr, 2)}</dd>
        <dt>Running</dt>
        <dd>{campaign.hours_running === null ? 'not started' : `${count(campaign.hours_running)} h`}</dd>
        <dt>Confidence</dt>
        <dd>{percent(campaign.confidence)}</dd>
      </dl>
      <Mode mode={campaign.mode} />
    </article>
  );
}

function ScalingCard({ campaign }: { campaign: ScalingCampaign }) {
  const { currency } = useSession();
  return (
    <article className="card good" data-testid="scaling-card" data-id={campaign.campaign_id}>
      <h3>
        <a href={href('campaigns', campaign.campaign_id)}>{campaign.title}</a>
      </h3>
      <p className="overview-card-roi" title="Lifetime ROI (revenue / spend)">
        ROI <Roi roi={campaign.roi} />
      </p>
      <dl>
        <dt>Budget</dt>
        <dd>
          {money(campaign.budget, currency)} → <strong>{money(campaign.suggested_budget, currency)}</strong>
        </dd>
        <dt>Confidence</dt>
        <dd>{percent(campaign.confidence)}</dd>
        <dt>Rule</dt>
        <dd>{campaign.rule}</dd>
      </dl>
      <Mode mode={campaign.mode} />
    </article>
  );
}
