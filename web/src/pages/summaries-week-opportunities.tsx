// The opportunities open when the summary was made: the count by severity and the most pressing.

import { OPPORTUNITY_SEVERITIES } from '../../../src/contract/opportunity-vocabulary.ts';
import type { WeeklySummary } from '../../../src/contract/weekly-summary.ts';
import { Badge } from '../components/badge.tsx';
import { Empty } from '../components/status.tsx';
import { count } from '../lib/format.ts';
import { href } from '../lib/route.ts';

export function SummaryOpportunities({ summary }: { summary: WeeklySummary }) {
  const { open, by_severity: bySeverity, top } = summary.opportunities;
  return (
    <section aria-labelledby="summary-opportunities-heading">
      <h3 id="summary-opportunities-heading">Open opportunities ({count(open)})</h3>
      {open === 0 ? (
        <Empty>No opportunity was open.</Empty>
      ) : (
        <>
          <ul className="summaries-chips">
            {OPPORTUNITY_SEVERITIES.filter((s) => (bySeverity[s] ?? 0) > 0).map((s) => (
              <li key={s}>
                <Badge value={s} /> <strong>{count(bySeverity[s])}</strong>
              </li>
            ))}
          </ul>
          <p className="muted small">
            Open or in progress when the summary was made
            {top.length < open ? `; the ${top.length} most pressing below` : ''}.
          </p>
          <div className="grid">
            {top.map((o) => (
              <article
                key={o.opportunity_id}
                className="card"
                data-testid="opportunity-card"
                data-id={o.opportunity_id}
              >
                <div className="row spread">
                  <a href={href('campaigns', o.campaign_id)}>{o.title}</a>
                  <Badge value={o.severity} />
                </div>
                <p className="small muted">{o.opportunity_type.replaceAll('_', ' ')}</p>
                <p className="small">{o.description}</p>
              </article>
            ))}
          </div>
        </>
      )}
    </section>
  );
}
