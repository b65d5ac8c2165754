// One campaign (#/campaigns/<id>): its fields and lifetime totals, edit, pause, resume and archive
// (members), its content, its e-mail and SMS delivery, its daily chart, and the actions on it.
import { useState } from 'react';
import type { CampaignRecord } from '../../../src/contract/campaigns.ts';
import type { SegmentRecord } from '../../../src/contract/segments.ts';
import { useApi } from '../api/use-api.ts';
import { useSession } from '../auth/session-context.tsx';
import { Badge } from '../components/badge.tsx';
import { StatCard } from '../components/stat-card.tsx';
import { Async } from '../components/status.tsx';
import { count, dateTime, money, percent, ratio, roiTone } from '../lib/format.ts';
import { href } from '../lib/route.ts';
import { AutopilotSwitch } from './campaigns-autopilot.tsx';
import { CampaignCharts } from './campaigns-charts.tsx';
import { CampaignContent } from './campaigns-content.tsx';
import { CampaignControls } from './campaigns-controls.tsx';
import { CampaignDelivery } from './campaigns-delivery.tsx';
import { CampaignForm } from './campaigns-form.tsx';
import { CampaignHistory } from './campaigns-history.tsx';
import { ctrOf, platformLinkText, roiOf } from './campaigns-model.tsx';

export function CampaignDetail({ id }: { id: string }) {
  const loaded = useApi<CampaignRecord>(`/api/campaigns/${encodeURIComponent(id)}`);
  // The autopilot switch, the form and the controls answer with the campaign as it now is.
  const [changed, setChanged] = useState<CampaignRecord>();
  const [outcome, setOutcome] = useState<string>();
  const [editing, setEditing] = useState(false);
  const show = (next: CampaignRecord, words: string) => {
    setChanged(next);
    setOutcome(words);
  };

  return (
    <section className="campaign-detail" aria-labelledby="campaign-title">
      <p>
        <a href={href('campaigns')}>← Back to campaigns</a>
      </p>
      <Async loaded={loaded} what="the campaign">
        {(fetched) => {
          const c = changed?.id === fetched.id && changed.version >= fetched.version ? changed : fetched;
          return (
            <>
              <div className="row spread campaign-head">
                <h1 id="campaign-title">{c.title}</h1>
                <div className="row">
                  <Badge value={c.status} />
                  <span className="muted small">Autopilot</span>
                  <AutopilotSwitch
                    campaign={c}
                    onChanged={(next) => {
                      show(next, `Autopilot is now ${next.autopilot_enabled ? 'on' : 'off'}.`);
                    }}
                  />
                </div>
              </div>
              <CampaignControls
                campaign={c}
                onEdit={() => setEditing(true)}
                onChanged={(next, words) => {
                  setEditing(false);
                  show(next, words);
                }}
              />
              {outcome && (
                <p className="notice" role="status">
                  {outcome}
                </p>
              )}
              {editing && (
                <CampaignForm
                  campaign={c}
                  onSaved={(saved) => {
                    setEditing(false);
                    show(saved, 'Saved.');
                  }}
                  onCancel={() => setEditing(false)}
                />
              )}
              {c.description && <p className="muted">{c.description}</p>}
              <Totals campaign={c} />
              <Fields campaign={c} />
              <h2>Content</h2>
              <CampaignContent campaignId={c.id} />
              {c.channels.some((ch) => ch === 'email' || ch === 'sms') && <CampaignDelivery campaignId={c.id} />}
              <h2>Daily results</h2>
              <CampaignCharts campaignId={c.id} />
              <h2>Action history</h2>
              {/* key: a pause or resume here adds a row, read with the campaign's new version. */}
              <CampaignHistory key={c.version} campaignId={c.id} />
            </>
          );
        }}
      </Async>
    </section>
  );
}

function Totals({ campaign }: { campaign: CampaignRecord }) {
  const { currency } = useSession();
  const t = campaign.totals;
  const roi = roiOf(campaign);
  return (
    <div className="stats campaign-stats">
      <StatCard icon="dollar" label="Spend" value={money(t.spend, currency)} />
      <StatCard icon="trending-up" label="Revenue" value={money(t.revenue, currency)} />
      <div className={`roi-card tone-${roiTone(roi)}`}>
        <StatCard icon="activity" label="ROI" value={ratio(roi)} />
      </div>
      <StatCard icon="target" label="CTR" value={percent(ctrOf(campaign))} />
      <StatCard icon="eye" label="Impressions" value={count(t.impressions)} />
      <StatCard icon="pointer" label="Clicks" value={count(t.clicks)} />
      <StatCard icon="check" label="Conversions" value={count(t.conversions)} />
      <StatCard icon="calendar" label="Meetings" value={count(t.meetings)} />
    </div>
  );
}

function Fields({ campaign: c }: { campaign: CampaignRecord }) {
  const { currency } = useSession();
  const own = c.currency || currency;
  const utm = [c.utm_source, c.utm_medium, c.utm_campaign, c.utm_content].filter(Boolean).join(' / ');
  return (
    <div className="card campaign-fields">
      <dl>
        <dt>Goal</dt>
        <dd>{c.goal}</dd>
        {c.platform_link && (
          <>
            <dt>On the ad platform</dt>
            <dd data-testid="platform-link">{platformLinkText(c)}</dd>
          </>
        )}
        <dt>Budget</dt>
        <dd>
          {money(c.budget, own)}
          {c.max_budget !== null && <span className="muted"> (max {money(c.max_budget, own)})</span>}
        </dd>
        <dt>Channels</dt>
        <dd>{c.channels.length > 0 ? c.channels.join(', ') : '—'}</dd>
        <dt>Audience</dt>
        <dd>{c.segment_id ? <SegmentName id={c.segment_id} /> : 'No segment'}</dd>
        <dt>Scheduled for</dt>
        <dd>{dateTime(c.scheduled_at)}</dd>
        <dt>Started</dt>
        <dd>{dateTime(c.started_at)}</dd>
        <dt>Completed</dt>
        <dd>{dateTime(c.completed_at)}</dd>
        <dt>Last optimised</dt>
        <dd>{dateTime(c.last_optimization_at)}</dd>
        <dt>Call to action</dt>
        <dd>
          {c.cta_text ?? '—'}
          {c.cta_url && (
            <>
              {' → '}
              <a href={c.cta_url} target="_blank" rel="noreferrer">
                {c.cta_url}
              </a>
            </>
          )}
        </dd>
        <dt>UTM</dt>
        <dd>{utm || '—'}</dd>
        <dt>Created</dt>
        <dd>{dateTime(c.created_at)}</dd>
        <dt>Updated</dt>
        <dd>
          {dateTime(c.updated_at)} <span className="muted small">(version {c.version})</span>
        </dd>
      </dl>
    </div>
  );
}

/** The audience segment's name and size (its id while it loads, or if it cannot be read). */
function SegmentName({ id }: { id: string }) {
  const segment = useApi<SegmentRecord>(`/api/segments/${encodeURIComponent(id)}`);
  if (!segment.data) return <span className="muted">{id}</span>;
  return (
    <>
      {segment.data.name} <span className="muted">({count(segment.data.member_count)} members)</span>
    </>
  );
}
