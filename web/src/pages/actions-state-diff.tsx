// What an action changed: the keys whose value differs between the state before and after, the
// old value struck through in red and the new one in green. Snapshots that did not move (roi) stay out.
import { useSession } from '../auth/session-context.tsx';
import { money, percent, ratio } from '../lib/format.ts';

const LONG_TEXT = 140;
const MONEY_KEYS = /budget|spend|revenue|cost/i;
const RATE_KEYS = /rate|drop|share|ctr/i;
/** Figures recorded with a state but not part of it (src/ledger/kinds/campaign-state.ts): shown only when both sides have them. */
const SNAPSHOTS = new Set(['roi']);

/** A state field's name as a person reads it. */
export function fieldLabel(key: string): string {
  const words = key.replaceAll('_', ' ');
  return words === 'roi' ? 'ROI' : words.replace(/\broi\b/g, 'ROI');
}

/** A confidence score as a percentage, without a trailing ".0". */
export function confidence(score: number | null): string {
  return percent(score).replace('.0%', '%');
}

/** One value of a state, an observed conflict or evidence, by what its key says it is. */
export function showValue(key: string, value: unknown, currency: string): string {
  if (value === undefined || value === null || value === '') return '—';
  if (typeof value === 'number') {
    if (MONEY_KEYS.test(key)) return money(value, currency);
    if (/roi/i.test(key)) return ratio(value);
    if (RATE_KEYS.test(key)) return percent(value);
    return String(Number.isInteger(value) ? value : Number(value.toFixed(4)));
  }
  if (typeof value === 'string') {
    // Numbers can arrive as text (Postgres numerics); statuses read better without underscores.
    if (MONEY_KEYS.test(key) && value.trim() !== '' && Number.isFinite(Number(value)))
      return money(Number(value), currency);
    return key === 'status' ? value.replaceAll('_', ' ') : value;
  }
  if (Array.isArray(value)) return value.map((v) => showValue(key, v, currency)).join(', ') || 'none';
  return JSON.stringify(value);
}

/** Long texts (a rewritten email body) are cut, with the whole text in the tooltip. */
function Value({ text, className }: { text: string; className: string }) {
  const cut = text.length > LONG_TEXT ? `${text.slice(0, LONG_TEXT)}…` : text;
  const Tag = className === 'old' ? 'del' : 'ins';
  return (
    <Tag className={className} title={cut === text ? undefined : text}>
      {cut}
    </Tag>
  );
}

export function StateDiff({ before, after }: { before: Record<string, unknown>; after: Record<string, unknown> }) {
  const { currency } = useSession();
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
    (key) =>
      JSON.stringify(before[key]) !== JSON.stringify(after[key]) &&
      !(SNAPSHOTS.has(key) && (before[key] === undefined || after[key] === undefined)),
  );
  if (keys.length === 0) return <p className="diff muted">No state change</p>;
  return (
    <dl className="diff">
      {keys.map((key) => (
        <div key={key}>
          <dt>{fieldLabel(key)}</dt>
          <dd>
            <Value className="old" text={showValue(key, before[key], currency)} />
            <span aria-hidden="true"> → </span>
            <span className="visually-hidden"> to </span>
            <Value className="new" text={showValue(key, after[key], currency)} />
          </dd>
        </div>
      ))}
    </dl>
  );
}
