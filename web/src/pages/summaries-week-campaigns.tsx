// The campaigns that led and trailed the week: by ROI those that spent, by reply rate the outbound
// ones that did not.
import { Empty } from '../components/status.tsx';
import { count, money, percent, ratio, roiTone } from '../lib/format.ts';
import { href } from '../lib/route.ts';
import type { CampaignWeek, WeeklySummary } from './summaries-types.ts';

export function SummaryCampaigns({ summary }: { summary: WeeklySummary }) {
  const outbound = summary.best_by_reply_rate.length + summary.worst_by_reply_rate.length > 0;
  return (
    <section aria-labelledby="summary-campaigns-heading">
      <h3 id="summary-campaigns-heading">Best and worst campaigns</h3>
      <div className="summaries-pair">
        <RoiTable title="Best by ROI" rows={summary.best_campaigns} currency={summary.currency} />
        <RoiTable title="Worst by ROI" rows={summary.worst_campaigns} currency={summary.currency} />
      </div>
      {outbound && (
        <div className="summaries-pair">
          <ReplyTable title="Best by reply rate" rows={summary.best_by_reply_rate} />
          <ReplyTable title="Worst by reply rate" rows={summary.worst_by_reply_rate} />
        </div>
      )}
    </section>
  );
}

function CampaignLink({ row }: { row: CampaignWeek }) {
  return <a href={href('campaigns', row.campaign_id)}>{row.title}</a>;
}

function RoiTable({ title, rows, currency }: { title: string; rows: CampaignWeek[]; currency: string }) {
  return (
    <div>
      <h4>{title}</h4>
      {rows.length === 0 ? (
        <Empty>No campaign here this week.</Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Campaign</th>
                <th className="num">Spend</th>
                <th className="num">Revenue</th>
                <th className="num">ROI</th>
                <th className="num">Conv.</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.campaign_id} data-testid="campaign-row" data-id={row.campaign_id}>
                  <td>
                    <CampaignLink row={row} />
                  </td>
                  <td className="num">{money(row.spend, currency)}</td>
                  <td className="num">{money(row.revenue, currency)}</td>
                  <td className={`num tone-${roiTone(row.roi)}`}>{ratio(row.roi)}</td>
                  <td className="num">{count(row.conversions)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function ReplyTable({ title, rows }: { title: string; rows: CampaignWeek[] }) {
  return (
    <div>
      <h4>{title}</h4>
      {rows.length === 0 ? (
        <Empty>No campaign here this week.</Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Campaign</th>
                <th className="num">Sends</th>
                <th className="num">Replies</th>
                <th className="num">Reply rate</th>
                <th className="num">Meetings</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.campaign_id} data-testid="campaign-row" data-id={row.campaign_id}>
                  <td>
                    <CampaignLink row={row} />
                  </td>
                  <td className="num">{count(row.sends)}</td>
                  <td className="num">{count(row.replies)}</td>
                  <td className="num">{percent(row.reply_rate)}</td>
                  <td className="num">{count(row.meetings)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
