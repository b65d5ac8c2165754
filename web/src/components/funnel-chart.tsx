// A funnel as horizontal bars: each stage's count, its bar as a share of the first stage, and that
// share in words. Plain HTML, so it reads at 390 px and to a screen reader as a list.
import { count, percent } from '../lib/format.ts';

export interface FunnelBar {
  key: string;
  label: string;
  value: number;
  /** An exit (bounced, unsubscribed): drawn apart, in red. */
  exit?: boolean;
}

export function FunnelChart({ title, bars }: { title: string; bars: FunnelBar[] }) {
  const base = bars[0]?.value ?? 0;
  return (
    <figure className="chart funnel" aria-label={title}>
      <ol>
        {bars.map((bar) => {
          const share = base > 0 ? bar.value / base : 0;
          return (
            <li key={bar.key} className={bar.exit ? 'exit' : undefined} data-testid="funnel-stage" data-stage={bar.key}>
              <span className="funnel-label">{bar.label}</span>
              <svg className="funnel-track" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
                <rect className="funnel-bar" width={Math.min(100, share * 100)} height="10" />
              </svg>
              <span className="funnel-value">
                <strong>{count(bar.value)}</strong>{' '}
                <span className="muted small">{base > 0 ? percent(share) : '—'}</span>
              </span>
            </li>
          );
        })}
      </ol>
    </figure>
  );
}
