// The weekly summary as a report people read: one model (a title and sections of paragraphs and
// tables, all plain text) built from the stored summary, and two serialisers of it, Markdown (what
// weekly_summaries.report_markdown stores) and a small HTML page. Only the serialisers escape, each
// for its own format, so no text reaches either unescaped: campaign titles and opportunity
// descriptions are user input and must come out inert (`<script>`, `|`, `*`, `_`, backticks).

import { OPPORTUNITY_SEVERITIES } from '../contract/opportunity-vocabulary.ts';
import {
  type CampaignWeek,
  type Comparison,
  TOTAL_METRICS,
  type TotalMetric,
  type WeeklySummary,
} from '../contract/weekly-summary.ts';
import { metricTitle, unitOf } from '../domain/metrics.ts';

export interface ReportColumn {
  label: string;
  /** Right-aligned (figures). */
  numeric?: boolean;
}

export interface ReportTable {
  columns: ReportColumn[];
  rows: string[][];
}

export interface ReportSection {
  heading: string;
  paragraphs: string[];
  table?: ReportTable;
}

export interface Report {
  title: string;
  sections: ReportSection[];
}

// ---- formatting (a fixed locale: a stored report must not depend on the server's) ----

const LOCALE = 'en-US';
export const NONE = '—';

/** Money in the currency, to the cent; `signed` shows + on a gain (for changes). */
export function formatMoney(value: number | null, currency: string, signed = false): string {
  if (value === null) return NONE;
  return new Intl.NumberFormat(LOCALE, {
    style: 'currency',
    currency,
    signDisplay: signed ? 'exceptZero' : 'auto',
  }).format(value);
}

/** A fraction as a percentage with one decimal and always a sign: 0.125 → "+12.5%". */
export function formatPercent(value: number | null, signed = true): string {
  if (value === null) return NONE;
  return new Intl.NumberFormat(LOCALE, {
    style: 'percent',
    maximumFractionDigits: 1,
    signDisplay: signed ? 'exceptZero' : 'auto',
  }).format(value);
}

/** A count, with thousands separators. */
export function formatCount(value: number | null, signed = false): string {
  if (value === null) return NONE;
  return new Intl.NumberFormat(LOCALE, {
    maximumFractionDigits: 0,
    signDisplay: signed ? 'exceptZero' : 'auto',
  }).format(value);
}

/** A ratio such as ROI, to two decimals. */
export function formatRatio(value: number | null, signed = false): string {
  if (value === null) return NONE;
  return new Intl.NumberFormat(LOCALE, {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
    signDisplay: signed ? 'exceptZero' : 'auto',
  }).format(value);
}

const formatInstant = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

// ---- the model ----

function figure(metric: TotalMetric, currency: string) {
  const unit = unitOf(metric);
  if (unit === 'money') return (v: number | null, signed?: boolean) => formatMoney(v, currency, signed);
  return unit === 'multiple' ? formatRatio : formatCount;
}

function totalsTable(summary: WeeklySummary): ReportTable {
  return {
    columns: [
      { label: 'Metric' },
      { label: 'This week', numeric: true },
      { label: 'Previous week', numeric: true },
      { label: 'Change', numeric: true },
      { label: 'Change %', numeric: true },
    ],
    rows: TOTAL_METRICS.map((metric) => {
      const c: Comparison = summary.totals[metric];
      const show = figure(metric, summary.currency);
      return [
        metricTitle(metric),
        show(c.this_week),
        show(c.previous_week),
        show(c.change, true),
        formatPercent(c.change_pct),
      ];
    }),
  };
}

function headline(summary: WeeklySummary): string {
  const { spend, revenue, roi } = summary.totals;
  const money = (c: Comparison) => `${formatMoney(c.this_week, summary.currency)} (${formatPercent(c.change_pct)})`;
  return (
    `Spend ${money(spend)}, revenue ${money(revenue)}, ROI ${formatRatio(roi.this_week)} ` +
    `(${formatRatio(roi.previous_week)} the week before). Changes compare with the week of ` +
    `${summary.previous_week_start}; amounts in ${summary.currency}.`
  );
}

function roiTable(campaigns: CampaignWeek[], currency: string): ReportTable {
  return {
    columns: [
      { label: 'Campaign' },
      { label: 'Spend', numeric: true },
      { label: 'Revenue', numeric: true },
      { label: 'ROI', numeric: true },
      { label: 'Conversions', numeric: true },
    ],
    rows: campaigns.map((c) => [
      c.title,
      formatMoney(c.spend, currency),
      formatMoney(c.revenue, currency),
      formatRatio(c.roi),
      formatCount(c.conversions),
    ]),
  };
}

function replyTable(campaigns: CampaignWeek[]): ReportTable {
  return {
    columns: [
      { label: 'Campaign' },
      { label: 'Sends', numeric: true },
      { label: 'Replies', numeric: true },
      { label: 'Reply rate', numeric: true },
      { label: 'Meetings', numeric: true },
    ],
    rows: campaigns.map((c) => [
      c.title,
      formatCount(c.sends),
      formatCount(c.replies),
      formatPercent(c.reply_rate, false),
      formatCount(c.meetings),
    ]),
  };
}

/** A ranking's section; an empty ranking only gets one when `empty` says what its absence means. */
function ranking(heading: string, table: ReportTable, empty?: string): ReportSection[] {
  if (table.rows.length > 0) return [{ heading, paragraphs: [], table }];
  return empty ? [{ heading, paragraphs: [empty] }] : [];
}

const plural = (n: number, one: string, many: string) => `${formatCount(n)} ${n === 1 ? one : many}`;

function actionsSection(summary: WeeklySummary): ReportSection {
  const { actions, currency } = summary;
  const types = Object.entries(actions.executed_by_type)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([type, n]) => `${type} ${formatCount(n)}`);
  const paragraphs = [
    actions.executed > 0
      ? `${plural(actions.executed, 'action', 'actions')} executed: ${types.join(', ')}.`
      : 'No action was executed.',
    `${plural(actions.rolled_back, 'action', 'actions')} rolled back; ` +
      `${plural(actions.suggestions_pending, 'suggestion waits', 'suggestions wait')} for a person.`,
  ];
  if (actions.measured_count === 0) return { heading: 'Actions', paragraphs };
  const shown =
    actions.measured.length < actions.measured_count ? ` (the ${actions.measured.length} largest shown)` : '';
  paragraphs.push(`Impact measured for ${plural(actions.measured_count, 'action', 'actions')}${shown}:`);
  return {
    heading: 'Actions',
    paragraphs,
    table: {
      columns: [
        { label: 'Action' },
        { label: 'Campaign' },
        { label: 'Executed' },
        { label: 'Revenue change', numeric: true },
        { label: 'Spend change', numeric: true },
        { label: 'ROI change', numeric: true },
      ],
      rows: actions.measured.map((m) => [
        m.action_type,
        m.title,
        formatInstant(m.executed_at),
        formatMoney(m.revenue_change, currency, true),
        formatMoney(m.spend_change, currency, true),
        formatRatio(m.roi_change, true),
      ]),
    },
  };
}

function opportunitiesSection(summary: WeeklySummary): ReportSection {
  const { open, by_severity, top } = summary.opportunities;
  if (open === 0) return { heading: 'Opportunities', paragraphs: ['No open opportunity.'] };
  const counts = OPPORTUNITY_SEVERITIES.map((s) => `${formatCount(by_severity[s])} ${s}`);
  return {
    heading: 'Opportunities',
    paragraphs: [`${plural(open, 'opportunity', 'opportunities')} open: ${counts.join(', ')}.`],
    table: {
      columns: [{ label: 'Severity' }, { label: 'Campaign' }, { label: 'Type' }, { label: 'Description' }],
      rows: top.map((o) => [o.severity, o.title, o.opportunity_type, o.description]),
    },
  };
}

/** The report of a week, as plain text in a structure; serialise it with summaryMarkdown / summaryHtml. */
export function buildReport(summary: WeeklySummary): Report {
  const { currency } = summary;
  return {
    title: `Weekly summary: ${summary.week_start} to ${summary.week_end}`,
    sections: [
      { heading: 'Totals', paragraphs: [headline(summary)], table: totalsTable(summary) },
      ...ranking(
        'Best campaigns by ROI',
        roiTable(summary.best_campaigns, currency),
        'No campaign spent money this week.',
      ),
      ...ranking('Worst campaigns by ROI', roiTable(summary.worst_campaigns, currency)),
      ...ranking('Best outbound campaigns by reply rate', replyTable(summary.best_by_reply_rate)),
      ...ranking('Worst outbound campaigns by reply rate', replyTable(summary.worst_by_reply_rate)),
      actionsSection(summary),
      opportunitiesSection(summary),
    ],
  };
}

// ---- Markdown ----

/**
 * Inline text for Markdown (CommonMark / GFM): one line; the punctuation of emphasis, code, links,
 * tables, strikethrough, headings and math (`$`) backslash-escaped; `&`, `<` and `>` as entities,
 * which every Markdown renderer shows as text (a backslash before `<` is not honoured by all).
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'))
    .replace(/[\\`*_[\]|~#$]/g, '\\$&');
}

/** A paragraph: inline text that also cannot open a block (a list item, a heading underline). */
function markdownParagraph(text: string): string {
  return escapeMarkdown(text)
    .replace(/^([+\-=])/, '\\$1')
    .replace(/^(\d+)([.)])/, '$1\\$2');
}

function markdownTable(table: ReportTable): string[] {
  const row = (cells: string[]) => `| ${cells.map((cell) => escapeMarkdown(cell) || ' ').join(' | ')} |`;
  return [
    row(table.columns.map((c) => c.label)),
    `|${table.columns.map((c) => (c.numeric ? ' ---: ' : ' --- ')).join('|')}|`,
    ...table.rows.map(row),
  ];
}

export function reportMarkdown(report: Report): string {
  const lines = [`# ${escapeMarkdown(report.title)}`];
  for (const section of report.sections) {
    lines.push('', `## ${escapeMarkdown(section.heading)}`);
    for (const paragraph of section.paragraphs) lines.push('', markdownParagraph(paragraph));
    if (section.table) lines.push('', ...markdownTable(section.table));
  }
  return `${lines.join('\n')}\n`;
}

export function summaryMarkdown(summary: WeeklySummary): string {
  return reportMarkdown(buildReport(summary));
}

// ---- HTML ----

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]!);
}

const STYLE = [
  'body{font:15px/1.5 system-ui,sans-serif;color:#1b1b1b;max-width:60rem;margin:2rem auto;padding:0 1rem}',
  'h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:1.75rem}',
  'table{border-collapse:collapse;width:100%}th,td{padding:.3rem .6rem;border-bottom:1px solid #ddd;text-align:left}',
  'th{background:#f4f4f4}.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}',
].join('');

function htmlTable(table: ReportTable): string {
  const cell = (tag: 'th' | 'td', text: string, column: ReportColumn | undefined) =>
    `<${tag}${column?.numeric ? ' class="num"' : ''}>${escapeHtml(text)}</${tag}>`;
  const head = table.columns.map((c) => cell('th', c.label, c)).join('');
  const body = table.rows
    .map((row) => `<tr>${row.map((text, i) => cell('td', text, table.columns[i])).join('')}</tr>`)
    .join('\n');
  return `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

export function reportHtml(report: Report): string {
  const sections = report.sections.map((section) =>
    [
      '<section>',
      `<h2>${escapeHtml(section.heading)}</h2>`,
      ...section.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
      ...(section.table ? [htmlTable(section.table)] : []),
      '</section>',
    ].join('\n'),
  );
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // Nothing in a report runs: no script, no remote resource, only the inline style below.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<title>${escapeHtml(report.title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${escapeHtml(report.title)}</h1>`,
    ...sections,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

export function summaryHtml(summary: WeeklySummary): string {
  return reportHtml(buildReport(summary));
}
