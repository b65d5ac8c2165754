// The dashboard's types are the contract's (src/contract/, z.infer, checked by the web's typecheck);
// this checks the other half: the OpenAPI document the server serves says what the contract says.
// A route that answers with a schema of its own, or a contract schema no answer uses any more,
// fails here, so the web's types cannot drift from the served document.
import { readdirSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SchemaConverter } from '../src/api/openapi.ts';
import { actionRecord } from '../src/contract/actions.ts';
import { agentRunHead, agentRunRecord } from '../src/contract/agent-runs.ts';
import { backtestResult } from '../src/contract/backtest.ts';
import { campaignRecord } from '../src/contract/campaigns.ts';
import { contactMessageRecord } from '../src/contract/contact-messages.ts';
import { contactImportReport, contactRecord } from '../src/contract/contacts.ts';
import { cycleResult, recordedCycle } from '../src/contract/cycles.ts';
import { campaignDelivery, contactSuppressions, suppressionList, suppressionRecord } from '../src/contract/delivery.ts';
import { meRecord, tenantToken } from '../src/contract/me.ts';
import { opportunityRecord } from '../src/contract/opportunities.ts';
import { overviewCampaigns, overviewFigures, overviewTrend } from '../src/contract/overview.ts';
import { pageSchema } from '../src/contract/page.ts';
import { problemRecord } from '../src/contract/problem.ts';
import { ruleList, rulePreview, ruleRecord } from '../src/contract/rules.ts';
import { runList, scheduleList } from '../src/contract/schedules.ts';
import { segmentMembersAdded, segmentMembersRemoved, segmentRecord } from '../src/contract/segments.ts';
import { senderList, senderRecord, senderTestResult } from '../src/contract/senders.ts';
import { socialPostRecord } from '../src/contract/social-posts.ts';
import { campaignStatList } from '../src/contract/stats.ts';
import { tenantRecord } from '../src/contract/tenants.ts';
import { weeklySummaryHead, weeklySummaryRecord } from '../src/contract/weekly-summary.ts';
import { workspaceList } from '../src/contract/workspaces.ts';
import { useTestApi } from './support/test-api.ts';

interface Operation {
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
}
interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
}

/** Every answer the dashboard reads, and the contract schema it is declared with. */
const DASHBOARD_ANSWERS: [method: string, path: string, status: number, schema: z.ZodType][] = [
  ['get', '/api/overview', 200, overviewFigures],
  ['get', '/api/overview/campaigns', 200, overviewCampaigns],
  ['get', '/api/overview/trend', 200, overviewTrend],
  ['post', '/api/cycles', 201, cycleResult],
  ['post', '/api/cycles/dry-run', 200, cycleResult],
  ['post', '/api/cycles/backtest', 200, backtestResult],
  ['get', '/api/cycles', 200, pageSchema(recordedCycle)],
  ['get', '/api/cycles/{id}', 200, recordedCycle],
  ['get', '/api/rules', 200, ruleList],
  ['get', '/api/rules/{id}', 200, ruleRecord],
  ['post', '/api/rules', 201, ruleRecord],
  ['put', '/api/rules/{id}', 200, ruleRecord],
  ['put', '/api/rules/{id}/active', 200, ruleRecord],
  ['post', '/api/rules/reorder', 200, ruleList],
  ['post', '/api/rules/{id}/preview', 200, rulePreview],
  ['post', '/api/rules/preview', 200, rulePreview],
  ['get', '/api/weekly-summaries', 200, pageSchema(weeklySummaryHead)],
  ['get', '/api/weekly-summaries/{week_start}', 200, weeklySummaryRecord],
  ['get', '/api/campaigns', 200, pageSchema(campaignRecord)],
  ['get', '/api/campaigns/{id}', 200, campaignRecord],
  ['put', '/api/campaigns/{id}/autopilot', 200, campaignRecord],
  ['get', '/api/campaigns/{id}/stats', 200, campaignStatList],
  ['get', '/api/opportunities', 200, pageSchema(opportunityRecord)],
  ['get', '/api/opportunities/{id}', 200, opportunityRecord],
  ['post', '/api/opportunities/{id}/start', 200, opportunityRecord],
  ['post', '/api/opportunities/{id}/resolve', 200, opportunityRecord],
  ['post', '/api/opportunities/{id}/dismiss', 200, opportunityRecord],
  ['get', '/api/actions', 200, pageSchema(actionRecord)],
  ['get', '/api/actions/{id}', 200, actionRecord],
  ['post', '/api/actions/{id}/approve', 200, actionRecord],
  ['post', '/api/actions/{id}/dismiss', 200, actionRecord],
  ['post', '/api/actions/{id}/rollback', 200, actionRecord],
  ['get', '/api/social-posts', 200, pageSchema(socialPostRecord)],
  ['get', '/api/social-posts/{id}', 200, socialPostRecord],
  ['get', '/api/schedules', 200, scheduleList],
  ['get', '/api/schedules/{name}/runs', 200, runList],
  ['get', '/api/agent-runs', 200, pageSchema(agentRunHead)],
  ['get', '/api/agent-runs/{id}', 200, agentRunRecord],
  ['get', '/api/workspaces', 200, workspaceList],
  ['get', '/api/tenants/{id}', 200, tenantRecord],
  ['patch', '/api/tenants/{id}', 200, tenantRecord],
  ['get', '/api/me', 200, meRecord],
  ['post', '/api/me/token', 200, tenantToken],
  ['get', '/api/campaigns/{id}/delivery', 200, campaignDelivery],
  ['get', '/api/contacts', 200, pageSchema(contactRecord)],
  ['get', '/api/contacts/{id}', 200, contactRecord],
  ['patch', '/api/contacts/{id}', 200, contactRecord],
  ['post', '/api/contacts/import', 200, contactImportReport],
  ['get', '/api/contacts/{id}/messages', 200, pageSchema(contactMessageRecord)],
  ['get', '/api/contacts/{id}/suppressions', 200, contactSuppressions],
  ['get', '/api/segments', 200, pageSchema(segmentRecord)],
  ['post', '/api/segments', 201, segmentRecord],
  ['patch', '/api/segments/{id}', 200, segmentRecord],
  ['get', '/api/segments/{id}/members', 200, pageSchema(contactRecord)],
  ['post', '/api/segments/{id}/members', 200, segmentMembersAdded],
  ['delete', '/api/segments/{id}/members', 200, segmentMembersRemoved],
  ['get', '/api/suppressions', 200, suppressionList],
  ['post', '/api/suppressions', 201, suppressionRecord],
  ['post', '/api/suppressions', 200, suppressionRecord],
  ['get', '/api/senders', 200, senderList],
  ['put', '/api/senders/email', 200, senderRecord],
  ['put', '/api/senders/sms', 200, senderRecord],
  ['post', '/api/senders/{channel}/enabled', 200, senderRecord],
  ['post', '/api/senders/{channel}/test', 200, senderTestResult],
];

/** What the document holds for a zod schema: the converter that writes the document, on its own. */
const documented = (schema: z.ZodType, io: 'input' | 'output' = 'output') => new SchemaConverter().convert(schema, io);

/**
 * Contract schemas the document cannot hold, and why. The agent stream's events are server-sent:
 * OpenAPI 3.1 describes the stream as text, so test/api-cmo-agents-offline.test.ts reads each
 * event of a stream with its schema instead.
 */
const NOT_DOCUMENTED: Record<string, string> = {
  'agent-stream.ts: agentRunStarted': 'a server-sent event',
  'agent-stream.ts: agentTextDelta': 'a server-sent event',
  'agent-stream.ts: agentRepair': 'a server-sent event',
  'agent-stream.ts: agentRunResult': 'a server-sent event',
  'agent-stream.ts: agentRunError': 'a server-sent event',
};

/** Every JSON object in the document, at any depth. */
function objectsIn(value: unknown, found: object[] = []): object[] {
  if (Array.isArray(value)) for (const item of value) objectsIn(item, found);
  else if (value !== null && typeof value === 'object') {
    found.push(value);
    for (const inner of Object.values(value)) objectsIn(inner, found);
  }
  return found;
}

describe('the contract and the served OpenAPI document', () => {
  const { api } = useTestApi();
  let document: OpenApi;
  beforeAll(async () => {
    document = (await (await fetch(`${api().url}/openapi.json`)).json()) as OpenApi;
  });

  it.each(DASHBOARD_ANSWERS)('%s %s answers %i with the contract’s schema', (method, path, status, schema) => {
    const content = document.paths[path]?.[method]?.responses[String(status)]?.content;
    expect(content?.['application/json']?.schema).toEqual(documented(schema));
  });

  it('describes every problem with the contract’s schema', () => {
    expect(document.components.schemas.Problem).toEqual(documented(problemRecord));
  });

  it('holds every schema the contract modules export, whole or nested in an answer or a request', async () => {
    const contractDir = new URL('../src/contract/', import.meta.url);
    // Answers and the Problem (components), as they give; requests (the tenant's settings) as they accept.
    const objects = objectsIn([document.paths, document.components]);
    const missing: string[] = [];
    for (const file of readdirSync(contractDir).filter((name) => name.endsWith('.ts'))) {
      const exported: Record<string, unknown> = await import(new URL(file, contractDir).href);
      for (const [name, value] of Object.entries(exported)) {
        if (!(value instanceof z.ZodType) || NOT_DOCUMENTED[`${file}: ${name}`]) continue;
        const forms = [documented(value), documented(value, 'input')];
        if (!objects.some((object) => forms.some((form) => isDeepStrictEqual(object, form))))
          missing.push(`${file}: ${name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('leaves out only the schemas it says why', async () => {
    const exported = Object.keys(await import('../src/contract/agent-stream.ts')).map(
      (name) => `agent-stream.ts: ${name}`,
    );
    for (const name of Object.keys(NOT_DOCUMENTED)) expect(exported).toContain(name);
  });
});
