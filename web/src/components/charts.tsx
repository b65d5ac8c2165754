// Two small SVG charts, drawn here rather than with a chart library: the dashboard stays well
// under its bundle budget, and the charts scale with their container (viewBox).

export interface Series {
  name: string;
  tone: 'spend' | 'revenue' | 'other';
  values: number[];
}

const W = 640;
const H = 220;
// Room for a currency amount on the left and half a date label on the right.
const PAD = { left: 76, right: 36, top: 12, bottom: 28 };

function niceMax(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  return Math.ceil(value / magnitude) * magnitude;
}

/** Lines over days: `labels` on the x axis (first, middle, last shown), one line per series. */
export function LineChart({
  labels,
  series,
  format,
  title,
}: {
  labels: string[];
  series: Series[];
  format: (value: number) => string;
  title: string;
}) {
  const top = niceMax(Math.max(0, ...series.flatMap((s) => s.values)));
  const x = (i: number) => PAD.left + (labels.length <= 1 ? 0 : (i / (labels.length - 1)) * (W - PAD.left - PAD.right));
  const y = (v: number) => PAD.top + (1 - v / top) * (H - PAD.top - PAD.bottom);
  const ticks = [0, 0.5, 1].map((f) => f * top);
  const shown = [0, Math.floor((labels.length - 1) / 2), labels.length - 1].filter(
    (i, k, all) => i >= 0 && all.indexOf(i) === k,
  );
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title}>
        {ticks.map((t) => (
          <g key={t}>
            <line className="grid" x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} />
            <text className="axis" x={PAD.left - 6} y={y(t) + 4} textAnchor="end">
              {format(t)}
            </text>
          </g>
        ))}
        {shown.map((i) => (
          <text key={i} className="axis" x={x(i)} y={H - 8} textAnchor="middle">
            {labels[i]}
          </text>
        ))}
        {series.map((s) => (
          <polyline
            key={s.name}
            className={`line ${s.tone}`}
            points={s.values.map((v, i) => `${x(i)},${y(v)}`).join(' ')}
          />
        ))}
      </svg>
      <figcaption className="legend">
        {series.map((s) => (
          <span key={s.name} className={`key ${s.tone}`}>
            {s.name}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

/** Bars with a label under each (a distribution). */
export function BarChart({ bars, title }: { bars: { label: string; value: number; tone?: string }[]; title: string }) {
  const top = niceMax(Math.max(0, ...bars.map((b) => b.value)));
  const slot = (W - PAD.left - PAD.right) / Math.max(1, bars.length);
  const y = (v: number) => PAD.top + (1 - v / top) * (H - PAD.top - PAD.bottom);
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title}>
        <line className="grid" x1={PAD.left} x2={W - PAD.right} y1={y(0)} y2={y(0)} />
        <text className="axis" x={PAD.left - 6} y={y(top) + 4} textAnchor="end">
          {top}
        </text>
        {bars.map((b, i) => (
          <g key={b.label}>
            <rect
              className={`bar ${b.tone ?? ''}`}
              x={PAD.left + i * slot + slot * 0.15}
              width={slot * 0.7}
              y={y(b.value)}
              height={y(0) - y(b.value)}
            >
              <title>{`${b.label}: ${b.value}`}</title>
            </rect>
            <text className="axis" x={PAD.left + i * slot + slot / 2} y={H - 8} textAnchor="middle">
              {b.label}
            </text>
            <text className="bar-value" x={PAD.left + i * slot + slot / 2} y={y(b.value) - 4} textAnchor="middle">
              {b.value}
            </text>
          </g>
        ))}
      </svg>
    </figure>
  );
}
