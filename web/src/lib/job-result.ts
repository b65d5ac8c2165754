// What a job run did, as lines a person reads instead of its JSON: each field of the task's summary
// named in words ("actions_taken" → "Actions taken"), numbers formatted, lists of ids counted, and
// lists of findings shown one a line (at most a few, then how many more).

export interface ResultLine {
  label: string;
  value: string;
  /** The items of a list of findings, one a line. */
  details?: string[];
}

const MAX_DETAILS = 5;

/** "actions_taken" → "Actions taken"; "campaign_ids" → "Campaigns". */
function label(key: string): string {
  const words = key
    .replace(/_ids$/, 's')
    .replace(/_id$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replaceAll('_', ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function scalar(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') return new Intl.NumberFormat().format(value);
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string') return value;
  return inline(value);
}

/** An object on one line, its ids left out: "outcome posted, reason rate limited". */
function inline(value: unknown): string {
  if (value === null || typeof value !== 'object') return scalar(value);
  if (Array.isArray(value)) return value.map(inline).join(', ');
  return Object.entries(value)
    .filter(([key]) => !/_id$/.test(key))
    .map(([key, v]) => `${label(key).toLowerCase()} ${scalar(v)}`)
    .join(', ');
}

export function resultLines(result: Record<string, unknown>): ResultLine[] {
  return Object.entries(result).map(([key, value]): ResultLine => {
    if (!Array.isArray(value)) {
      // An id says nothing to a person; its first characters find it in a log.
      if (/_id$/.test(key) && typeof value === 'string') return { label: label(key), value: value.slice(0, 8) };
      return { label: label(key), value: scalar(value) };
    }
    if (value.length === 0) return { label: label(key), value: 'none' };
    // A list of ids: how many.
    if (/_ids$/.test(key)) return { label: label(key), value: scalar(value.length) };
    const shown = value.slice(0, MAX_DETAILS).map(inline);
    if (value.length > MAX_DETAILS) shown.push(`and ${value.length - MAX_DETAILS} more`);
    return { label: label(key), value: scalar(value.length), details: shown };
  });
}
