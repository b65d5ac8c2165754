// /api/weekly-summaries over real HTTP: the stored summaries listed newest week first, one week as
// JSON, as the stored Markdown report and as an HTML page (a hostile campaign title inert in both),
// 404 for a week the tenant has no summary of (another tenant's included), 422 for a malformed
// week or format, 401 without credentials.
import { describe, expect, it } from 'vitest';
import { summaryMarkdown } from '../src/cmo/summary-report.ts';
import { computeWeeklySummary, storeWeeklySummary } from '../src/cmo/weekly-summary.ts';
import type { Database } from '../src/db/port.ts';
import { upsertStats } from '../src/db/repositories/stats.ts';
import { tenantScoped } from '../src/db/tenant-scope.ts';
import { createCampaign, type TestTenant } from './support/scenario.ts';
import { apiClient, expectFieldError, idsByPage, useTestApi } from './support/test-api.ts';

const HOSTILE = '<script>alert(1)</script> | *Black* _Friday_ `now`';
const WEEKS = ['2026-10-26', '2026-11-02', '2026-11-09'];

/** A campaign with the given title spending every day of October and November, and one summary per week. */
async function summarizedTenant(db: Database, t: TestTenant, title: string, weeks = WEEKS) {
  const campaign = await createCampaign(db, t, { title, budget: 100, hoursRunning: 24 * 60 });
  const days = Array.from({ length: 61 }, (_, i) => new Date(Date.UTC(2026, 9, 1 + i)).toISOString().slice(0, 10));
  const rows = days.map((stat_date, i) => ({
    campaign_id: campaign,
    stat_date,
    channel: 'meta',
    impressions: 1_000,
    sends: 0,
    opens: 0,
    clicks: 10 + i,
    replies: 0,
    meetings: 0,
    conversions: 2,
    spend: 100,
    revenue: 150 + i,
  }));
  const scoped = tenantScoped(db, t.tenantId);
  await scoped.transaction((s) => upsertStats(s, t.tenantId, rows));
  const ids: Record<string, string> = {};
  for (const week of weeks) {
    await scoped.transaction(async (s) => {
      const summary = await computeWeeklySummary(s, t.tenantId, week);
      await storeWeeklySummary(s, t.tenantId, summary, summaryMarkdown(summary), null);
    });
    const [row] = await db.session((s) =>
      s.query<{ id: string }>('SELECT id FROM weekly_summaries WHERE tenant_id = $1 AND week_start = $2', [
        t.tenantId,
        week,
      ]),
    );
    ids[week] = row!.id;
  }
  return { campaign, ids };
}

describe('/api/weekly-summaries', () => {
  const { db, api, tenantClients: clients } = useTestApi();

  it('lists the summaries newest week first with their totals, in cursor pages', async () => {
    const { t, viewer } = await clients();
    const { ids } = await summarizedTenant(db(), t, 'Lister');
    const response = await viewer.get('/api/weekly-summaries');
    expect(response.status).toBe(200);
    expect(response.body.next_cursor).toBeNull();
    expect(response.body.data.map((s: { week_start: string }) => s.week_start)).toEqual([...WEEKS].reverse());
    const [latest] = response.body.data;
    expect(latest).toEqual({
      id: ids['2026-11-09'],
      week_start: '2026-11-09',
      week_end: '2026-11-15',
      created_at: expect.any(String),
      agent_run_id: null,
      totals: expect.any(Object),
    });
    // Spend is 100 a day every day: 700 a week, unchanged.
    expect(latest.totals.spend).toEqual({ this_week: 700, previous_week: 700, change: 0, change_pct: 0 });
    expect(await idsByPage(viewer, '/api/weekly-summaries', 1)).toEqual(WEEKS.map((w) => ids[w]).reverse());
    expectFieldError(await viewer.get('/api/weekly-summaries?limit=0'), 'limit');
    expect((await apiClient(api(), null).get('/api/weekly-summaries')).status).toBe(401);
  });

  it('reads a week as JSON, as the stored Markdown and as HTML, with the hostile title inert', async () => {
    const { t, viewer } = await clients();
    const { campaign, ids } = await summarizedTenant(db(), t, HOSTILE);

    const json = await viewer.get('/api/weekly-summaries/2026-11-09');
    expect(json.status).toBe(200);
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    const stored = await db().session((s) =>
      s.query<{ summary: object; report_markdown: string }>(
        'SELECT summary, report_markdown FROM weekly_summaries WHERE tenant_id = $1 AND id = $2',
        [t.tenantId, ids['2026-11-09']],
      ),
    );
    expect(json.body).toEqual({
      id: ids['2026-11-09'],
      created_at: expect.any(String),
      agent_run_id: null,
      ...stored[0]!.summary,
    });
    expect(json.body.best_campaigns).toMatchObject([{ campaign_id: campaign, title: HOSTILE, spend: 700 }]);
    expect((await viewer.get('/api/weekly-summaries/2026-11-09?format=json')).body).toEqual(json.body);

    const markdown = await viewer.get('/api/weekly-summaries/2026-11-09?format=markdown');
    expect(markdown.status).toBe(200);
    expect(markdown.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(markdown.body).toBe(stored[0]!.report_markdown);
    expect(markdown.body).toContain('| Spend | \\$700.00 | \\$700.00 | \\$0.00 | 0% |');
    expect(markdown.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt; \\| \\*Black\\* \\_Friday\\_ \\`now\\`');
    expect(markdown.body).not.toContain('<script>');

    const html = await viewer.get('/api/weekly-summaries/2026-11-09?format=html');
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(html.body).toMatch(/^<!doctype html>/);
    expect(html.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt; | *Black* _Friday_ `now`');
    expect(html.body).not.toContain('<script>');
    expect(html.body).toContain('<td class="num">$700.00</td>');
  });

  it('answers 404 for a week without a summary, another tenant’s included', async () => {
    const { t, viewer } = await clients();
    await summarizedTenant(db(), t, 'Ours', ['2026-11-02']);
    const other = await clients();
    await summarizedTenant(db(), other.t, 'Theirs secret title', ['2026-11-09']);
    for (const path of ['/api/weekly-summaries/2026-11-09', '/api/weekly-summaries/2026-11-09?format=markdown']) {
      const response = await viewer.get(path);
      expect(response.status, path).toBe(404);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(JSON.stringify(response.body)).not.toContain('Theirs');
    }
    expect((await viewer.get('/api/weekly-summaries/2026-11-02')).status).toBe(200);
    // Their list holds theirs only, ours ours only.
    const list = (await viewer.get('/api/weekly-summaries')).body.data;
    expect(list.map((s: { week_start: string }) => s.week_start)).toEqual(['2026-11-02']);
    expect((await other.viewer.get('/api/weekly-summaries/2026-11-09')).status).toBe(200);
  });

  it('answers 422 naming the field for a malformed week or format, 401 without a token', async () => {
    const { viewer } = await clients();
    for (const week of ['2026-13-40', '2026-02-30', 'last-week', '2026-11-10']) {
      expectFieldError(await viewer.get(`/api/weekly-summaries/${week}`), 'week_start', week);
    }
    expectFieldError(await viewer.get('/api/weekly-summaries/2026-11-09?format=pdf'), 'format');
    expectFieldError(await viewer.get('/api/weekly-summaries/2026-11-09?colour=red'), 'colour');
    expect((await apiClient(api(), null).get('/api/weekly-summaries/2026-11-09')).status).toBe(401);
  });
});
