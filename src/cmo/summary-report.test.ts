// The report's formatting and escaping: figures with their currency and sign, "—" for null, and
// user text (campaign titles, descriptions) inert in Markdown and in HTML.
import { describe, expect, it } from 'vitest';
import type { CampaignWeek, Comparison, WeeklySummary } from '../contract/weekly-summary.ts';
import {
  buildReport,
  escapeHtml,
  escapeMarkdown,
  formatCount,
  formatMoney,
  formatPercent,
  formatRatio,
  NONE,
  summaryHtml,
  summaryMarkdown,
} from './summary-report.ts';

const HOSTILE = '<script>alert("x")</script> | *bold* _it_ `code` [link](javascript:1) & ~strike~ # $5$';

const same = (value: number | null): Comparison => ({
  this_week: value,
  previous_week: value,
  change: value === null ? null : 0,
  change_pct: value ? 0 : null,
});

function campaign(title: string, figures: Partial<CampaignWeek> = {}): CampaignWeek {
  return {
    campaign_id: '00000000-0000-4000-8000-000000000001',
    title,
    spend: 100,
    revenue: 250,
    roi: 2.5,
    reply_rate: null,
    conversions: 3,
    sends: 0,
    replies: 0,
    meetings: 0,
    ...figures,
  };
}

function summary(overrides: Partial<WeeklySummary> = {}): WeeklySummary {
  return {
    week_start: '2026-11-09',
    week_end: '2026-11-15',
    previous_week_start: '2026-11-02',
    currency: 'EUR',
    generated_at: '2026-11-16T09:00:00.000Z',
    totals: {
      spend: { this_week: 1234.5, previous_week: 1097.33, change: 137.17, change_pct: 0.125 },
      revenue: { this_week: 900, previous_week: 1000, change: -100, change_pct: -0.1 },
      roi: { this_week: 0.729, previous_week: 0.9113, change: -0.1823, change_pct: -0.2 },
      impressions: { this_week: 120_000, previous_week: 0, change: 120_000, change_pct: null },
      clicks: same(300),
      sends: same(0),
      replies: same(0),
      meetings: same(0),
      conversions: same(12),
      bounces: same(0),
    },
    best_campaigns: [campaign(HOSTILE)],
    worst_campaigns: [],
    best_by_reply_rate: [campaign('Outbound', { spend: 0, revenue: 0, roi: null, reply_rate: 0.0425, sends: 400 })],
    worst_by_reply_rate: [],
    actions: {
      executed: 3,
      executed_by_type: { auto_scale_up: 1, auto_pause: 2 },
      rolled_back: 1,
      suggestions_pending: 4,
      measured_count: 1,
      measured: [
        {
          action_id: '00000000-0000-4000-8000-000000000002',
          action_type: 'auto_pause',
          campaign_id: '00000000-0000-4000-8000-000000000001',
          title: HOSTILE,
          executed_at: '2026-11-03T10:15:00.000Z',
          revenue_change: -45.5,
          spend_change: 12,
          roi_change: null,
        },
      ],
    },
    opportunities: {
      open: 2,
      by_severity: { critical: 1, high: 0, medium: 1, low: 0 },
      top: [
        {
          opportunity_id: '00000000-0000-4000-8000-000000000003',
          campaign_id: '00000000-0000-4000-8000-000000000001',
          title: HOSTILE,
          opportunity_type: 'low_conversion',
          severity: 'critical',
          description: 'Conversion <img src=x onerror=alert(1)> is low',
        },
      ],
    },
    ...overrides,
  };
}

describe('report formatting', () => {
  it('formats money with its currency, percentages and changes with a sign, and null as a dash', () => {
    expect(formatMoney(1234.5, 'USD')).toBe('$1,234.50');
    expect(formatMoney(1234.5, 'EUR')).toBe('€1,234.50');
    expect(formatMoney(-45.5, 'USD', true)).toBe('-$45.50');
    expect(formatMoney(12, 'USD', true)).toBe('+$12.00');
    expect(formatMoney(0, 'USD', true)).toBe('$0.00');
    expect(formatMoney(null, 'USD')).toBe(NONE);
    expect(formatPercent(0.125)).toBe('+12.5%');
    expect(formatPercent(-0.1)).toBe('-10%');
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(0.0425, false)).toBe('4.3%');
    expect(formatPercent(null)).toBe('—');
    expect(formatCount(120_000)).toBe('120,000');
    expect(formatCount(5, true)).toBe('+5');
    expect(formatRatio(0.729)).toBe('0.73');
    expect(formatRatio(-0.1823, true)).toBe('-0.18');
    expect(formatRatio(null)).toBe(NONE);
  });

  it('builds one model: totals, rankings present, empty rankings left out, actions, opportunities', () => {
    const report = buildReport(summary());
    expect(report.title).toBe('Weekly summary: 2026-11-09 to 2026-11-15');
    expect(report.sections.map((s) => s.heading)).toEqual([
      'Totals',
      'Best campaigns by ROI',
      'Best outbound campaigns by reply rate',
      'Actions',
      'Opportunities',
    ]);
    const totals = report.sections[0]!.table!;
    expect(totals.rows[0]).toEqual(['Spend', '€1,234.50', '€1,097.33', '+€137.17', '+12.5%']);
    expect(totals.rows[1]).toEqual(['Revenue', '€900.00', '€1,000.00', '-€100.00', '-10%']);
    expect(totals.rows[2]).toEqual(['ROI', '0.73', '0.91', '-0.18', '-20%']);
    expect(totals.rows[3]).toEqual(['Impressions', '120,000', '0', '+120,000', NONE]);
    expect(report.sections[3]!.paragraphs).toEqual([
      '3 actions executed: auto_pause 2, auto_scale_up 1.',
      '1 action rolled back; 4 suggestions wait for a person.',
      'Impact measured for 1 action:',
    ]);
    expect(report.sections[3]!.table!.rows).toEqual([
      ['auto_pause', HOSTILE, '2026-11-03 10:15 UTC', '-€45.50', '+€12.00', NONE],
    ]);
    // Nothing spent: the ROI ranking says so rather than vanishing.
    const quiet = buildReport(summary({ best_campaigns: [], best_by_reply_rate: [] }));
    expect(quiet.sections[1]).toEqual({
      heading: 'Best campaigns by ROI',
      paragraphs: ['No campaign spent money this week.'],
    });
  });
});

describe('escaping', () => {
  it('makes Markdown specials, table pipes and HTML in user text inert in Markdown', () => {
    expect(escapeMarkdown(HOSTILE)).toBe(
      '&lt;script&gt;alert("x")&lt;/script&gt; \\| \\*bold\\* \\_it\\_ \\`code\\` \\[link\\](javascript:1) &amp; \\~strike\\~ \\# \\$5\\$',
    );
    // One line: a newline in a title would end a table row.
    expect(escapeMarkdown('two\nlines\r\n  here')).toBe('two lines here');
    expect(escapeMarkdown('back\\slash')).toBe('back\\\\slash');
  });

  it('keeps hostile text out of the Markdown report’s syntax', () => {
    const markdown = summaryMarkdown(summary());
    expect(markdown).not.toContain('<script>');
    expect(markdown).not.toContain('<img');
    expect(markdown).not.toMatch(/[^\\]\*bold/);
    const row = markdown.split('\n').find((line) => line.includes('bold'))!;
    // Every unescaped pipe is a cell border: 5 columns make 6 borders.
    expect(row.match(/(?<!\\)\|/g)).toHaveLength(6);
    expect(markdown).toContain('| Spend | €1,234.50 | €1,097.33 | +€137.17 | +12.5% |');
    expect(markdown).toContain('| --- | ---: | ---: | ---: | ---: |');
    expect(markdown.startsWith('# Weekly summary: 2026-11-09 to 2026-11-15\n')).toBe(true);
  });

  it('keeps paragraphs from opening a block', () => {
    const markdown = summaryMarkdown(summary({ opportunities: { ...summary().opportunities, open: 0 } }));
    expect(markdown).toContain('\nNo open opportunity.\n');
    expect(markdown).toContain('\n1 action rolled back; 4 suggestions wait for a person.\n');
  });

  it('escapes HTML in a complete small document', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
    const html = summaryHtml(summary());
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('<style>');
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; | *bold* _it_ `code`');
    expect(html).toContain('<td class="num">+12.5%</td>');
    expect(html).toContain('<th class="num">This week</th>');
    // The only tags are the page's own.
    const tags = new Set([...html.matchAll(/<\/?([a-z0-9]+)/g)].map((m) => m[1]));
    expect([...tags].sort()).toEqual(
      [
        'body',
        'h1',
        'h2',
        'head',
        'html',
        'meta',
        'p',
        'section',
        'style',
        'table',
        'tbody',
        'td',
        'th',
        'thead',
        'title',
        'tr',
      ].sort(),
    );
  });
});
