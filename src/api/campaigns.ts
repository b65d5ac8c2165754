// /api/campaigns: list (filtered, cursor pages), read, create, update with optimistic concurrency
// (ETag = version; a stale If-Match or version answers 409), the autopilot switch, and archive
// (nothing is deleted: the ledger still points at it).
import type { Context } from 'hono';
import { z } from 'zod';
import { CAMPAIGN_STATUSES } from '../contract/campaign-vocabulary.ts';
import { campaignRecord } from '../contract/campaigns.ts';
import { pageSchema } from '../contract/page.ts';
import { ProblemError } from '../server/problem.ts';
import {
  createCampaign,
  getCampaign,
  listCampaigns,
  SCHEDULE_NEEDS_TIME,
  setCampaignFields,
  updateCampaign,
} from '../services/campaigns.ts';
import { pageQuery, toJsonPage } from './pagination.ts';
import type { ApiRouter } from './router.ts';
import { channel, currency, httpUrl, idParams, isoDateTime, money, queryBoolean, shortText, uuid } from './schemas.ts';

/** 'sending' belongs to the campaign runner: a person never sets it. */
const settableStatus = z.enum(CAMPAIGN_STATUSES).exclude(['sending']);

const optionalText = (max: number) => z.string().max(max).nullable().optional();
const editable = {
  title: shortText(300),
  description: optionalText(5000),
  status: settableStatus,
  goal: z.enum(['leads', 'meetings', 'revenue']),
  budget: money,
  max_budget: money.nullable(),
  currency,
  channels: z.array(channel).max(20),
  autopilot_enabled: z.boolean(),
  scheduled_at: isoDateTime.nullable(),
  image_url: httpUrl.nullable(),
  cta_text: optionalText(200),
  cta_url: httpUrl.nullable(),
  utm_source: optionalText(200),
  utm_medium: optionalText(200),
  utm_campaign: optionalText(200),
  utm_content: optionalText(200),
  segment_id: uuid.nullable(),
};

const needsScheduleTime = (c: { status?: string; scheduled_at?: string | null }) =>
  c.status !== 'scheduled' || Boolean(c.scheduled_at);
const scheduleIssue = { message: SCHEDULE_NEEDS_TIME, path: ['scheduled_at'] };

const createBody = z
  .strictObject(editable)
  .partial()
  .required({ title: true })
  .extend({ workspace_id: uuid.optional() })
  .refine(needsScheduleTime, scheduleIssue);

const updateBody = z
  .strictObject(editable)
  .partial()
  .extend({ version: z.number().int().min(1).optional() })
  .refine((body) => Object.keys(body).some((key) => key !== 'version'), { message: 'names no field to change' });

const listQuery = z.strictObject({
  ...pageQuery,
  status: z.enum(CAMPAIGN_STATUSES).optional(),
  include_archived: queryBoolean
    .optional()
    .describe('Archived campaigns are left out unless this is true or status is archived'),
  workspace_id: uuid.optional(),
  autopilot_enabled: queryBoolean.optional(),
});

const etag = (version: number) => `"${version}"`;

const JSON_TYPE = { 'content-type': 'application/json' };

/** A campaign in a response: its JSON as the query built it, its version as the ETag. */
function show(
  c: Context,
  row: { json: string; version: number },
  status: 200 | 201 = 200,
  headers: Record<string, string> = {},
) {
  return c.body(row.json, status, { ...JSON_TYPE, etag: etag(row.version), ...headers });
}

/** The version an update is based on: If-Match wins over the body's `version`. */
function expectedVersion(ifMatch: string | undefined, bodyVersion: number | undefined): number {
  if (ifMatch !== undefined) {
    const version = ifMatch.match(/^(?:W\/)?"(\d{1,9})"$/)?.[1];
    if (!version) {
      throw new ProblemError(422, 'If-Match must be an ETag this API gave out, like "3"', {
        errors: [{ field: 'If-Match', in: 'header', message: 'expects "<version>"' }],
      });
    }
    return Number(version);
  }
  if (bodyVersion !== undefined) return bodyVersion;
  throw new ProblemError(428, 'send the version the change is based on: an If-Match header or "version" in the body', {
    errors: [{ field: 'If-Match', in: 'header', message: 'required (or body.version)' }],
  });
}

export function campaignRoutes(api: ApiRouter): void {
  const tag = 'Campaigns';
  const one = { description: 'The campaign, with an ETag of its version', schema: campaignRecord };

  api.tenant(
    {
      method: 'get',
      path: '/api/campaigns',
      tag,
      summary: 'List campaigns, newest first (archived ones only when asked for)',
      access: 'viewer',
      query: listQuery,
      responses: { 200: { description: 'A page of campaigns', schema: pageSchema(campaignRecord) } },
    },
    async ({ c, db, principal, query }) => {
      return c.body(toJsonPage(await listCampaigns(db, principal.tenantId, query), query.limit), 200, JSON_TYPE);
    },
  );

  api.tenant(
    {
      method: 'get',
      path: '/api/campaigns/{id}',
      tag,
      summary: 'Read a campaign',
      access: 'viewer',
      params: idParams,
      responses: { 200: one },
    },
    async ({ c, db, principal, params }) => {
      return show(c, await getCampaign(db, principal.tenantId, params.id));
    },
  );

  api.tenant(
    {
      method: 'post',
      path: '/api/campaigns',
      tag,
      summary: 'Create a campaign',
      description: 'Without workspace_id the campaign goes to the tenant’s first workspace.',
      access: 'member',
      body: createBody,
      responses: { 201: one },
    },
    async ({ c, db, principal, body }) => {
      const row = await createCampaign(db, principal.tenantId, body, principal.userId);
      return show(c, row, 201, { location: `/api/campaigns/${row.id}` });
    },
  );

  api.tenant(
    {
      method: 'patch',
      path: '/api/campaigns/{id}',
      tag,
      summary: 'Change a campaign',
      description:
        'Send the version the change is based on, as If-Match: "<version>" (the ETag) or as body.version. A campaign changed since answers 409 with the current version; without either, 428.',
      access: 'member',
      params: idParams,
      body: updateBody,
      responses: { 200: one },
    },
    async ({ c, db, principal, params, body }) => {
      const { version, ...fields } = body;
      const based = expectedVersion(c.req.header('if-match'), version);
      return show(c, await updateCampaign(db, principal.tenantId, params.id, fields, based));
    },
  );

  api.tenant(
    {
      method: 'put',
      path: '/api/campaigns/{id}/autopilot',
      tag,
      summary: 'Turn the campaign’s autopilot on or off',
      description: 'With autopilot on, rules act on the campaign; off, they only suggest.',
      access: 'admin',
      params: idParams,
      body: z.strictObject({ enabled: z.boolean() }),
      responses: { 200: one },
    },
    async ({ c, db, principal, params, body }) => {
      return show(c, await setCampaignFields(db, principal.tenantId, params.id, { autopilot_enabled: body.enabled }));
    },
  );

  api.tenant(
    {
      method: 'delete',
      path: '/api/campaigns/{id}',
      tag,
      summary: 'Archive a campaign',
      description: 'Campaigns are never deleted (actions and stats refer to them): the status becomes archived.',
      access: 'member',
      params: idParams,
      responses: { 200: one },
    },
    async ({ c, db, principal, params }) => {
      return show(c, await setCampaignFields(db, principal.tenantId, params.id, { status: 'archived' }));
    },
  );
}
