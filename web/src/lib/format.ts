// Numbers as the tenant reads them: money in the tenant's currency, rates as percentages.
const moneyFormats = new Map<string, Intl.NumberFormat>();

export function money(value: number | null | undefined, currency: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  let format = moneyFormats.get(currency);
  if (!format) {
    try {
      format = new Intl.NumberFormat(undefined, { style: 'currency', currency, maximumFractionDigits: 2 });
    } catch {
      format = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
    }
    moneyFormats.set(currency, format);
  }
  return format.format(value);
}

export function percent(fraction: number | null | undefined, digits = 1): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return '—';
  return `${(fraction * 100).toFixed(digits)}%`;
}

export function ratio(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return `${value.toFixed(2)}x`;
}

export function count(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return new Intl.NumberFormat().format(value);
}

export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** HH:MM:SS, as the seed's "Last run: 14:32:15". */
export function clockTime(date: Date): string {
  return date.toLocaleTimeString(undefined, { hour12: false, hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** ROI colour classes: the seed's red under 1x, green from 2x. */
export function roiTone(roi: number | null | undefined): 'bad' | 'warn' | 'good' | 'none' {
  if (roi === null || roi === undefined || !Number.isFinite(roi)) return 'none';
  if (roi < 1) return 'bad';
  if (roi < 2) return 'warn';
  return 'good';
}

/** A calendar day ('YYYY-MM-DD') as the reader writes dates; read in UTC so it never shifts a day. */
export function day(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(`${iso}T00:00:00Z`).toLocaleDateString(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
}

/** A span of calendar days, "1 Dec 2026 – 28 Feb 2027". */
export function dayRange(from: string | null | undefined, to: string | null | undefined): string {
  return `${day(from)} – ${day(to)}`;
}

/** An identifier word as text: "demo_request" → "demo request". */
export function words(name: string): string {
  return name.replaceAll('_', ' ');
}
