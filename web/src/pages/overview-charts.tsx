// The trend charts: spend against revenue per day, and how the active campaigns spread by ROI.

import type { OverviewTrend } from '../../../src/contract/overview.ts';
import type { Loaded } from '../api/use-api.ts';
import { BarChart, LineChart } from '../components/charts.tsx';
import { Async } from '../components/status.tsx';
import { money } from '../lib/format.ts';

// The API's days are UTC days: label them as such, or a viewer west of UTC sees the day before.
const dayLabel = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
const day = (date: string) => dayLabel.format(new Date(`${date}T00:00:00Z`));

/** "$6K": the axis has room for a short amount only. */
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
    return (value) => money(value, currency);
  }
}

/** The seed's ROI colours: red under 1x, green from 2x. */
function bandTone(band: { from: number | null; to: number | null }): string | undefined {
  if (band.to !== null && band.to <= 1) return 'bad';
  if (band.from !== null && band.from >= 2) return 'good';
  return undefined;
}

export function OverviewCharts({ loaded }: { loaded: Loaded<OverviewTrend> }) {
  return (
    <section aria-labelledby="overview-charts-heading">
      <h2 id="overview-charts-heading">Trends</h2>
      <Async loaded={loaded} what="the charts">
        {(trend) => {
          const quiet = trend.daily.every((d) => d.spend === 0 && d.revenue === 0);
          const measured = trend.roi_distribution.reduce((sum, b) => sum + b.campaigns, 0);
          return (
            <div className="charts overview-charts">
              <div className="panel">
                <h3>Spend vs revenue per day</h3>
                <p className="muted small">Last {trend.days} days, all campaigns (UTC days)</p>
                <LineChart
                  title="Spend vs revenue per day"
                  labels={trend.daily.map((d) => day(d.date))}
                  series={[
                    { name: 'Spend', tone: 'spend', values: trend.daily.map((d) => d.spend) },
                    { name: 'Revenue', tone: 'revenue', values: trend.daily.map((d) => d.revenue) },
                  ]}
                  format={axisMoney(trend.currency)}
                />
                {quiet && <p className="muted small">No spend or revenue in these days.</p>}
              </div>
              <div className="panel">
                <h3>ROI of active campaigns</h3>
                <p className="muted small">Active campaigns with spend, by lifetime ROI</p>
                <BarChart
                  title="ROI of active campaigns"
                  bars={trend.roi_distribution.map((band) => ({
                    label: band.label,
                    value: band.campaigns,
                    tone: bandTone(band),
                  }))}
                />
                {measured === 0 && <p className="muted small">No active campaign has spent yet.</p>}
              </div>
            </div>
          );
        }}
      </Async>
    </section>
  );
}
