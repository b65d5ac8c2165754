// A campaign's last 30 days (GET /api/campaigns/{id}/stats): spend against revenue, and clicks
// against conversions, per day. The API answers per day and channel; the channels are summed.
import type { CampaignStatList, CampaignStatRecord } from '../../../src/contract/stats.ts';
import { useApi } from '../api/use-api.ts';
import { useSession } from '../auth/session-context.tsx';
import { LineChart } from '../components/charts.tsx';
import { Async, Empty } from '../components/status.tsx';
import { count } from '../lib/format.ts';

interface Day {
  date: string;
  spend: number;
  revenue: number;
  clicks: number;
  conversions: number;
}

const DAY_MS = 86_400_000;

/** One entry per day from the first to the last day with stats; days without any count as 0. */
export function byDay(rows: CampaignStatRecord[]): Day[] {
  const days = new Map<string, Day>();
  for (const r of rows) {
    const day = days.get(r.stat_date) ?? { date: r.stat_date, spend: 0, revenue: 0, clicks: 0, conversions: 0 };
    day.spend += r.spend;
    day.revenue += r.revenue;
    day.clicks += r.clicks;
    day.conversions += r.conversions;
    days.set(r.stat_date, day);
  }
  const dates = [...days.keys()].sort();
  const first = dates[0];
  const last = dates.at(-1);
  if (!first || !last) return [];
  const out: Day[] = [];
  for (let t = Date.parse(`${first}T00:00:00Z`); t <= Date.parse(`${last}T00:00:00Z`); t += DAY_MS) {
    const date = new Date(t).toISOString().slice(0, 10);
    out.push(days.get(date) ?? { date, spend: 0, revenue: 0, clicks: 0, conversions: 0 });
  }
  return out;
}

/** Axis money: "$2K" fits the chart's margin where "$2,000.00" does not. */
function axisMoney(currency: string): (value: number) => string {
  try {
    const format = new Intl.NumberFormat(undefined, {
      style: 'currency',
      currency,
      notation: 'compact',
      maximumFractionDigits: 1,
    });
    return (value) => format.format(value);
  } catch {
    return (value) => count(Math.round(value));
  }
}

/** "Nov 21" from "2026-11-21", read as the UTC day it names. */
const shortDay = (date: string) =>
  new Date(`${date}T00:00:00Z`).toLocaleDateString(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });

export function CampaignCharts({ campaignId }: { campaignId: string }) {
  const { currency } = useSession();
  const loaded = useApi<CampaignStatList>(`/api/campaigns/${encodeURIComponent(campaignId)}/stats`);
  return (
    <Async loaded={loaded} what="daily stats">
      {({ data }) => {
        const days = byDay(data);
        if (days.length === 0) return <Empty>No stats for this campaign in the last 30 days.</Empty>;
        const labels = days.map((d) => shortDay(d.date));
        return (
          <div className="charts campaign-charts">
            <LineChart
              title="Spend and revenue per day"
              labels={labels}
              format={axisMoney(currency)}
              series={[
                { name: 'Spend', tone: 'spend', values: days.map((d) => d.spend) },
                { name: 'Revenue', tone: 'revenue', values: days.map((d) => d.revenue) },
              ]}
            />
            <LineChart
              title="Clicks and conversions per day"
              labels={labels}
              format={count}
              series={[
                { name: 'Clicks', tone: 'other', values: days.map((d) => d.clicks) },
                { name: 'Conversions', tone: 'revenue', values: days.map((d) => d.conversions) },
              ]}
            />
          </div>
        );
      }}
    </Async>
  );
}
