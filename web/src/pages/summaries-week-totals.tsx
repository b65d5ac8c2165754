// The week's totals, each beside the week before with the change.

import type { TotalMetric, WeeklySummary } from '../../../src/contract/weekly-summary.ts';
import { metricTitle } from '../../../src/domain/metrics.ts';
import { changeTone, metricValue, signedMetric, signedPercent } from './summaries-format.ts';

/** The figures an operator reads first; impressions and clicks are in the campaigns' pages. */
const SHOWN: TotalMetric[] = ['spend', 'revenue', 'roi', 'sends', 'replies', 'meetings', 'conversions', 'bounces'];

export function SummaryTotals({ summary }: { summary: WeeklySummary }) {
  return (
    <section aria-labelledby="summary-totals-heading">
      <h3 id="summary-totals-heading">Totals</h3>
      <div className="summaries-totals">
        {SHOWN.map((metric) => {
          const figure = summary.totals[metric];
          if (!figure) return null;
          const tone = changeTone(metric, figure.change);
          return (
            <div key={metric} className="summaries-total" data-testid="summary-total" data-metric={metric}>
              <span className="summaries-total-label">{metricTitle(metric)}</span>
              <span className="summaries-total-value">{metricValue(metric, figure.this_week, summary.currency)}</span>
              <span className={`small tone-${tone}`}>
                <span className="summaries-nowrap">{signedMetric(metric, figure.change, summary.currency)}</span>
                {figure.change_pct !== null && (
                  <span className="summaries-nowrap"> ({signedPercent(figure.change_pct)})</span>
                )}
              </span>
              <span className="small muted">
                previous week {metricValue(metric, figure.previous_week, summary.currency)}
              </span>
            </div>
          );
        })}
      </div>
    </section>
  );
}
