// The campaigns the next cycle would act on: red cards for the ones it would pause (worst ROI
// first), green cards for the ones it would scale (most confident first). A campaign with a
// suggestion already waiting for a person is not judged again, so an empty section says so.
import { Fragment, type ReactNode } from 'react';
import type { ActionRecord } from '../../../src/contract/actions.ts';
import type { OverviewCampaigns, ScalingCampaign, UnderperformingCampaign } from '../../../src/contract/overview.ts';
import type { Loaded } from '../api/use-api.ts';
import { useSession } from '../auth/session-context.tsx';
import { Async, Empty } from '../components/status.tsx';
import { count, dateTime, money, percent, ratio, roiTone } from '../lib/format.ts';
import { href } from '../lib/route.ts';

/** The empty section's words: none matches, or none beyond the ones waiting for approval. */
function noneLeft(kind: 'pause' | 'scaling', waiting: number): string {
  if (waiting === 0) return `No campaign matches a ${kind} rule right now.`;
  const suggestions = waiting === 1 ? 'suggestion waits' : 'suggestions wait';
  return `No other campaign matches a ${kind} rule right now: ${waiting} ${kind === 'pause' ? 'pause' : 'budget'} ${suggestions} for approval (Waiting for a person).`;
}

export function OverviewCampaignCards({
  loaded,
  pending = [],
}: {
  loaded: Loaded<OverviewCampaigns>;
  /** The suggestions waiting for a person (the dry run leaves their campaigns out). */
  pending?: ActionRecord[];
}) {
  const waiting = (type: string) => pending.filter((a) => a.action_type === type).length;
  return (
    <Async loaded={loaded} what="the campaigns to act on">
      {(campaigns) => (
        <div className="overview-campaigns">
          <CardSection
            id="underperforming-heading"
            title="Underperforming campaigns"
            rows={campaigns.underperforming}
            empty={noneLeft('pause', waiting('auto_pause'))}
            card={(c) => <UnderperformingCard campaign={c} />}
          />
          <CardSection
            id="scaling-heading"
            title="Scaling candidates"
            rows={campaigns.scaling}
            empty={noneLeft('scaling', waiting('auto_scale_up'))}
            card={(c) => <ScalingCard campaign={c} />}
          />
          <p className="muted small">
            As the next cycle would judge them, evaluated {dateTime(campaigns.evaluated_at)}.
          </p>
        </div>
      )}
    </Async>
  );
}

/** A headed grid of campaign cards, or `empty` when there is none. */
function CardSection<C extends { campaign_id: string }>({
  id,
  title,
  rows,
  empty,
  card,
}: {
  id: string;
  title: string;
  rows: C[];
  empty: string;
  card: (campaign: C) => ReactNode;
}) {
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>
        {title} ({rows.length})
      </h2>
      {rows.length === 0 ? (
        <Empty>{empty}</Empty>
      ) : (
        <div className="grid">
          {rows.map((c) => (
            <Fragment key={c.campaign_id}>{card(c)}</Fragment>
          ))}
        </div>
      )}
    </section>
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

/** A card's title (the campaign's link) and its lifetime ROI. */
function CardHead({ campaign }: { campaign: { campaign_id: string; title: string; roi: number | null } }) {
  return (
    <>
      <h3>
        <a href={href('campaigns', campaign.campaign_id)}>{campaign.title}</a>
      </h3>
      <p className="overview-card-roi" title="Lifetime ROI (revenue / spend)">
        ROI <Roi roi={campaign.roi} />
      </p>
    </>
  );
}

function UnderperformingCard({ campaign }: { campaign: UnderperformingCampaign }) {
  const { currency } = useSession();
  return (
    <article className="card bad" data-testid="underperforming-card" data-id={campaign.campaign_id}>
      <CardHead campaign={campaign} />
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
      <CardHead campaign={campaign} />
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
