// /api/actions: the ledger. Every decision of the engine, newest first in cursor pages or as CSV,
// and what a person does with one: approve or dismiss a pending suggestion (or many at once), roll
// back an executed action.
// The ledger checks that the campaign still holds the state the action expects; when it does not,
// the 409 carries `expected` and `actual` (also as `errors`, one per field). Doing it again is a
// 409 too: the action already is where the request would take it.
import { z } from 'zod';
import { bulkDecisionRequest, bulkDecisionResult } from '../contract/action-bulk.ts';
import { ACTION_STATUSES, ACTION_TYPES } from '../contract/action-vocabulary.ts';
import { actionRecord } from '../contract/actions.ts';
import { pageSchema } from '../contract/page.ts';
import { decideActions } from '../services/action-bulk.ts';
import { ledgerCsv } from '../services/action-export.ts';
import { decideAction, getAction, listActions } from '../services/actions.ts';
import { pageQuery, toPage } from './pagination.ts';
import type { ApiRouter } from './router.ts';
import { idParams, isoDate, isoDateTime, uuid } from './schemas.ts';

/** A day (the whole UTC day) or an instant. */
const bound = z.union([isoDateTime, isoDate]);
const toInstant = (value: string | undefined, edge: 'start' | 'end') =>
  value === undefined || value.includes('T')
    ? value
    : `${value}T${edge === 'start' ? '00:00:00.000000' : '23:59:59.999999'}Z`;

const filterFields = {
  status: z.enum(ACTION_STATUSES).optional(),
  action_type: z.enum(ACTION_TYPES).optional(),
  campaign_id: uuid.optional(),
  rule_id: uuid.optional(),
  cycle_id: uuid.optional(),
  from: bound.optional().describe('Created at or after: a date (from its start, UTC) or a date-time'),
  to: bound.optional().describe('Created at or before: a date (to its end, UTC) or a date-time'),
};
const boundsInOrder = (q: { from?: string; to?: string }) =>
  !q.from || !q.to || Date.parse(toInstant(q.from, 'start')!) <= Date.parse(toInstant(q.to, 'end')!);
const toAfterFrom = { message: 'is before from', path: ['to'] };
const listQuery = z.strictObject({ ...pageQuery, ...filterFields }).refine(boundsInOrder, toAfterFrom);
const exportQuery = z.strictObject(filterFields).refine(boundsInOrder, toAfterFrom);
/** The query's bounds as instants (a date covers its whole UTC day). */
const withInstants = <Q extends { from?: string; to?: string }>(query: Q) => ({
  ...query,
  from: toInstant(query.from, 'start'),
  to: toInstant(query.to, 'end'),
});

const observed = z.record(z.string(), z.union([z.string(), z.number()]));
const conflictProblem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.literal(409),
  detail: z.string(),
  instance: z.string(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })),
  expected: observed.optional().describe('What the action needs the campaign (or post) to hold'),
  actual: observed.optional().describe('What it holds now'),
});

function show<Row extends { sort_key: string }>({ sort_key: _, ...row }: Row) {
  return row;
}

export function actionRoutes(api: ApiRouter): void {
  const tag = 'Actions';
  const one = { description: 'The action', schema: actionRecord };
  const decided = {
    200: { description: 'The action after the change', schema: actionRecord },
    409: {
      description:
        'The action is not in a status that allows this (or already is where this would take it), or the campaign changed since (expected and actual say how)',
      schema: conflictProblem,
      mediaType: 'application/problem+json',
    },
  };

  api.tenant(
    {
      method: 'get',
      path: '/api/actions',
      tag,
      summary: 'List the ledger, newest first',
      access: 'viewer',
      query: listQuery,
      responses: { 200: { description: 'A page of actions', schema: pageSchema(actionRecord) } },
    },
    async ({ c, db, principal, query }) => {
      return c.json(toPage(await listActions(db, principal.tenantId, withInstants(query)), query.limit));
    },
  );

  // Before /api/actions/{id}, which would take "export" for an id.
  api.tenant(
    {
      method: 'get',
      path: '/api/actions/export',
      tag,
      summary: 'The filtered ledger as CSV, newest first',
      description:
        'The same filters as the list, every matching action (no pages), as `text/csv` (RFC 4180, CRLF, a header row), streamed. ' +
        'States are the ledger’s JSON; previous_budget and new_budget are the budgets as recorded, unrounded; ' +
        'decided_by and rolled_back_by name the person (or "API key <name>"). A text starting like a spreadsheet ' +
        'formula (=, +, -, @) is prefixed with an apostrophe.',
      access: 'viewer',
      query: exportQuery,
      responses: { 200: { description: 'The ledger as CSV', mediaType: 'text/csv' } },
    },
    ({ c, db, principal, query }) => {
      const lines = ledgerCsv(db, principal.tenantId, withInstants(query));
      const encoder = new TextEncoder();
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const next = await lines.next();
          if (next.done) controller.close();
          else controller.enqueue(encoder.encode(next.value));
        },
        async cancel() {
          await lines.return(undefined);
        },
      });
      const day = new Date().toISOString().slice(0, 10);
      return c.body(body, 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="nightshift-actions-${day}.csv"`,
      });
    },
  );

  api.tenant(
    {
      method: 'post',
      path: '/api/actions/bulk',
      tag,
      summary: 'Approve or dismiss many pending suggestions',
      description:
        'Each action is decided in a transaction of its own, as its single approve or dismiss would be, in the order given; ' +
        'the answer says what happened to each: `done` (its status: executed, dismissed, or `applying` when an ad platform ' +
        'carries it out: not done until the platform confirms), `unchanged`, `refused` (not pending), `conflict` ' +
        '(its campaign changed since; expected and actual say how), `not_found` or `failed`. One refusal does not stop the others.',
      access: 'member',
      body: bulkDecisionRequest,
      responses: { 200: { description: 'What happened to each action', schema: bulkDecisionResult } },
    },
    async ({ c, db, principal, body }) => c.json(await decideActions(db, principal.tenantId, body, principal)),
  );

  api.tenant(
    {
      method: 'get',
      path: '/api/actions/{id}',
      tag,
      summary: 'Read an action',
      access: 'viewer',
      params: idParams,
      responses: { 200: one },
    },
    async ({ c, db, principal, params }) => c.json(show(await getAction(db, principal.tenantId, params.id))),
  );

  api.tenant(
    {
      method: 'post',
      path: '/api/actions/{id}/approve',
      tag,
      summary: 'Approve a pending suggestion: it is carried out now',
      description:
        'Applies the suggested change if the campaign still holds the state it was suggested for (a post: if it is still live and a social account is connected).',
      access: 'member',
      params: idParams,
      responses: decided,
    },
    async ({ c, db, principal, params }) =>
      c.json(show(await decideAction(db, principal.tenantId, params.id, 'approve', principal))),
  );

  api.tenant(
    {
      method: 'post',
      path: '/api/actions/{id}/dismiss',
      tag,
      summary: 'Dismiss a pending suggestion',
      description:
        'Closes the suggestion without changing the campaign. The cycle does not suggest the same action type for that campaign again for the tenant’s dismissal_respite_days (30 by default), unless its probability of being right rose by 10 points or more or its expected net value doubled; until then each cycle reports it as a guardrail stop `dismissed` (docs/respite.md).',
      access: 'member',
      params: idParams,
      responses: decided,
    },
    async ({ c, db, principal, params }) =>
      c.json(show(await decideAction(db, principal.tenantId, params.id, 'dismiss', principal))),
  );

  api.tenant(
    {
      method: 'post',
      path: '/api/actions/{id}/rollback',
      tag,
      summary: 'Roll back an executed action',
      description:
        'Restores the campaign’s previous state (a post: cancels it, unless it is already published) if the campaign still holds what the action left, and records the rollback in the ledger. No rule acting in the same direction (pause, scale, post; not only the rule that acted) touches that campaign again for the rollback cooldown, rollback_cooldown_hours (docs/respite.md).',
      access: 'admin',
      params: idParams,
      responses: decided,
    },
    async ({ c, db, principal, params }) =>
      c.json(show(await decideAction(db, principal.tenantId, params.id, 'rollback', principal))),
  );
}
