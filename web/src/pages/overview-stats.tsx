// The stat cards: what the engine did in the window, and what waits for a person.

import type { OverviewFigures } from '../../../src/contract/overview.ts';
import type { Loaded } from '../api/use-api.ts';
import { StatCard } from '../components/stat-card.tsx';
import { Async } from '../components/status.tsx';
import { count, percent } from '../lib/format.ts';

export function OverviewStats({ loaded }: { loaded: Loaded<OverviewFigures> }) {
  return (
    <section aria-labelledby="overview-stats-heading">
      <h2 id="overview-stats-heading" className="visually-hidden">
        Figures
      </h2>
      <Async loaded={loaded} what="the figures">
        {(figures) => (
          <>
            <div className="stats">
              <StatCard icon="activity" label="Total Actions" value={count(figures.total_actions)} />
              <StatCard icon="pause" label="Paused" value={count(figures.campaigns_paused)} />
              <StatCard icon="trending-up" label="Scaled" value={count(figures.campaigns_scaled)} />
              <StatCard icon="send" label="Posted" value={count(figures.campaigns_posted)} />
              <StatCard icon="zap" label="Open Opportunities" value={count(figures.open_opportunities)} />
              <StatCard icon="target" label="Avg Confidence" value={percent(figures.average_confidence)} />
            </div>
            <p className="muted small overview-window">
              Actions of the last {figures.days} days · {count(figures.pending_suggestions)} suggestion
              {figures.pending_suggestions === 1 ? '' : 's'} waiting for a person ·{' '}
              {count(figures.opportunities_in_progress)} opportunit
              {figures.opportunities_in_progress === 1 ? 'y' : 'ies'} in progress
            </p>
          </>
        )}
      </Async>
    </section>
  );
}
