// The campaigns table: status and autopilot filters (archived campaigns only under their own
// status), cursor pages, the rates from each campaign's totals, (admins) the autopilot switch per
// row, and (members) a new campaign.
import { useState } from 'react';
import { CAMPAIGN_STATUSES } from '../../../src/contract/campaign-vocabulary.ts';
import type { CampaignRecord } from '../../../src/contract/campaigns.ts';
import { query } from '../api/client.ts';
import { useSession } from '../auth/session-context.tsx';
import { Badge } from '../components/badge.tsx';
import { PagedTable } from '../components/paged-table.tsx';
import { Spinner } from '../components/status.tsx';
import { money, percent, ratio, roiTone } from '../lib/format.ts';
import { href } from '../lib/route.ts';
import { AutopilotSwitch } from './campaigns-autopilot.tsx';
import { FilterSelect } from './campaigns-filter.tsx';
import { CampaignForm } from './campaigns-form.tsx';
import { ctrOf, platformLinkText, roiOf } from './campaigns-model.tsx';
import { usePagedList } from './campaigns-paged.tsx';

const PAGE_SIZE = 25;

export function CampaignList() {
  const { currency, can } = useSession();
  const [creating, setCreating] = useState(false);
  const [status, setStatus] = useState('');
  const [autopilot, setAutopilot] = useState('');
  const [outcome, setOutcome] = useState<string>();
  const list = usePagedList<CampaignRecord>(
    `/api/campaigns${query({ limit: PAGE_SIZE, status, autopilot_enabled: autopilot })}`,
  );

  function changed(next: CampaignRecord) {
    list.replace(next);
    setOutcome(`Autopilot is now ${next.autopilot_enabled ? 'on' : 'off'} for “${next.title}”.`);
  }

  return (
    <section aria-labelledby="campaigns-title">
      <div className="row spread">
        <h1 id="campaigns-title">Campaigns</h1>
        {can('member') && !creating && (
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            New campaign
          </button>
        )}
      </div>
      {creating && (
        <CampaignForm
          onSaved={(created) => {
            window.location.hash = href('campaigns', created.id);
          }}
          onCancel={() => setCreating(false)}
        />
      )}
      <div className="filters">
        <FilterSelect
          label="Status"
          value={status}
          onChange={setStatus}
          anyLabel="All statuses"
          options={CAMPAIGN_STATUSES}
        />
        <FilterSelect
          label="Autopilot"
          value={autopilot}
          onChange={setAutopilot}
          anyLabel="On or off"
          options={[
            { value: 'true', label: 'On' },
            { value: 'false', label: 'Off' },
          ]}
        />
        {list.first.loading && list.first.data && <Spinner label="Loading campaigns" />}
      </div>
      {outcome && (
        <p className="notice" role="status">
          {outcome}
        </p>
      )}
      <PagedTable
        list={list}
        what="campaigns"
        empty="No campaigns match these filters."
        className="campaigns-table"
        head={
          <>
            <th>Campaign</th>
            <th>Status</th>
            <th className="num">Budget</th>
            <th className="num">ROI</th>
            <th className="num">CTR</th>
            <th className="num">Spend</th>
            <th className="num">Revenue</th>
            <th>Autopilot</th>
          </>
        }
      >
        {(c) => {
          const roi = roiOf(c);
          return (
            <tr key={c.id} data-testid="campaign-row" data-id={c.id}>
              <td className="campaign-title">
                <a href={href('campaigns', c.id)}>{c.title}</a>
                {c.platform_link && (
                  <div className="muted small" data-testid="platform-link">
                    {platformLinkText(c)}
                  </div>
                )}
              </td>
              <td>
                <Badge value={c.status} />
              </td>
              <td className="num">{money(c.budget, c.currency || currency)}</td>
              <td className={`num tone-${roiTone(roi)}`}>{ratio(roi)}</td>
              <td className="num">{percent(ctrOf(c))}</td>
              <td className="num">{money(c.totals.spend, currency)}</td>
              <td className="num">{money(c.totals.revenue, currency)}</td>
              <td>
                <AutopilotSwitch campaign={c} onChanged={changed} />
              </td>
            </tr>
          );
        }}
      </PagedTable>
    </section>
  );
}
