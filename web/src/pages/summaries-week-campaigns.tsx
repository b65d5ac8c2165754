// The campaigns that led and trailed the week: by ROI those that spent, by reply rate the outbound
// ones that did not.
import type { ReactNode } from 'react';
import type { CampaignWeek, WeeklySummary } from '../../../src/contract/weekly-summary.ts';
import { Empty } from '../components/status.tsx';
import { count, money, percent, ratio, roiTone } from '../lib/format.ts';
import { href } from '../lib/route.ts';

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

interface Column {
  head: string;
  /** The cell's class: "num" unless given. */
  className?: (row: CampaignWeek) => string;
  cell: (row: CampaignWeek) => ReactNode;
}

function RoiTable({ title, rows, currency }: { title: string; rows: CampaignWeek[]; currency: string }) {
  return (
    <CampaignTable
      title={title}
      rows={rows}
      columns={[
        { head: 'Spend', cell: (row) => money(row.spend, currency) },
        { head: 'Revenue', cell: (row) => money(row.revenue, currency) },
        { head: 'ROI', className: (row) => `num tone-${roiTone(row.roi)}`, cell: (row) => ratio(row.roi) },
        { head: 'Conv.', cell: (row) => count(row.conversions) },
      ]}
    />
  );
}

function ReplyTable({ title, rows }: { title: string; rows: CampaignWeek[] }) {
  return (
    <CampaignTable
      title={title}
      rows={rows}
      columns={[
        { head: 'Sends', cell: (row) => count(row.sends) },
        { head: 'Replies', cell: (row) => count(row.replies) },
        { head: 'Reply rate', cell: (row) => percent(row.reply_rate) },
        { head: 'Meetings', cell: (row) => count(row.meetings) },
      ]}
    />
  );
}

/** A titled table of campaigns: the campaign's link, then one number column per `columns`. */
function CampaignTable({ title, rows, columns }: { title: string; rows: CampaignWeek[]; columns: Column[] }) {
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
                {columns.map((column) => (
                  <th key={column.head} className="num">
                    {column.head}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.campaign_id} data-testid="campaign-row" data-id={row.campaign_id}>
                  <td>
                    <CampaignLink row={row} />
                  </td>
                  {columns.map((column) => (
                    <td key={column.head} className={column.className?.(row) ?? 'num'}>
                      {column.cell(row)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
