// Encodes rows for COPY ... WITH (FORMAT csv): NULL is an empty unquoted field, strings are
// quoted (so an empty string stays an empty string), arrays become Postgres array literals.
export type CsvValue = string | number | boolean | null | undefined | readonly string[];

function quote(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

function arrayLiteral(items: readonly string[]): string {
  return `{${items.map((item) => `"${item.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`;
}

export function csvRow(values: readonly CsvValue[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (i > 0) line += ',';
    if (value === null || value === undefined) continue;
    if (typeof value === 'number') line += Number.isFinite(value) ? String(value) : '';
    else if (typeof value === 'boolean') line += value ? 't' : 'f';
    else if (typeof value === 'string') line += quote(value);
    else line += quote(arrayLiteral(value));
  }
  return `${line}\n`;
}
