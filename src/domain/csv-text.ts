// CSV as a spreadsheet reads it (RFC 4180): fields separated by commas, lines by CRLF, a field
// quoted when it holds a comma, a quote or a line break, its quotes doubled. A text that starts
// like a formula (=, +, -, @) is prefixed with an apostrophe so that a spreadsheet shows it rather
// than runs it (OWASP's CSV injection advice); numbers are written as they are.
export type CsvCell = string | number | null | undefined;

const FORMULA = /^[=+\-@\t\r]/;

function cell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = FORMULA.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(values: readonly CsvCell[]): string {
  return `${values.map(cell).join(',')}\r\n`;
}
