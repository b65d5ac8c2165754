// /api/actions: the ledger. Every decision of the engine, newest first in cursor pages, and what a
// person does with one: approve or dismiss a pending suggestion, roll back an executed action.
// The ledger checks that the campaign still holds the state the action expects; when it does not,
// the 409 carries `expected` and `actual` (also as `errors`, one per field). Doing it again is a
// 409 too: the action already is where the request would take it.
import type { Context } from 'hono';
import { z } from 'zod';
import { ACTION_STATUSES, ACTION_TYPES } from '../contract/action-vocabulary.ts';
import { actionRecord } from '../contract/actions.ts';
import type { Database } from '../db/port.ts';
import { type ActionRow, actingUser, getAction, listActions } from '../db/repositories/actions.ts';
import type { FieldError } from '../domain/errors.ts';
import { approveAction, dismissAction } from '../ledger/decide.ts';
import { ActionConflictError, ActionNotFoundError, ActionStatusError } from '../ledger/errors.ts';
import type { LedgerOutcome } from '../ledger/lock-action.ts';
import { rollbackAction } from '../ledger/rollback.ts';
import type { Principal } from '../server/authenticate.ts';
import { ProblemError } from '../server/problem.ts';
import { pageQuery, pageSchema, toPage } from './pagination.ts';
import type { ApiRouter } from './router.ts';
import { idParams, isoDate, isoDateTime, uuid } from './schemas.ts';

/** A day (the whole UTC day) or an instant. */
const bound = z.union([isoDateTime, isoDate]);
const toInstant = (value: string | undefined, edge: 'start' | 'end') =>
  value === undefined || value.includes('T')
    ? value
    : `${value}T${edge === 'start' ? '00:00:00.000000' : '23:59:59.999999'}Z`;

const listQuery = z
  .strictObject({
    ...pageQuery,
    status: z.enum(ACTION_STATUSES).optional(),
    action_type: z.enum(ACTION_TYPES).optional(),
    campaign_id: uuid.optional(),
    rule_id: uuid.optional(),
    cycle_id: uuid.optional(),
    from: bound.optional().describe('Created at or after: a date (from its start, UTC) or a date-time'),
    to: bound.optional().describe('Created at or before: a date (to its end, UTC) or a date-time'),
  })
  .refine((q) => !q.from || !q.to || Date.parse(toInstant(q.from, 'start')!) <= Date.parse(toInstant(q.to, 'end')!), {
    message: 'is before from',
    path: ['to'],
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

function show({ sort_key: _, ...row }: ActionRow) {
  return row;
}

/** A conflict with the campaign as RFC 9457 problem details, with `expected` and `actual` as extension members. */
function conflictResponse(c: Context, error: ActionConflictError): Response {
  const fields = [...new Set([...Object.keys(error.expected), ...Object.keys(error.actual)])];
  const errors: FieldError[] = fields.map((field) => ({
    field,
    message: `expected ${error.expected[field] ?? 'nothing'}, is ${error.actual[field] ?? 'nothing'}`,
  }));
  const body = {
    type: 'about:blank',
    title: 'Conflict',
    status: 409,
    detail: error.message,
    instance: c.req.path,
    errors,
    expected: error.expected,
    actual: error.actual,
  };
  return c.body(JSON.stringify(body), 409, { 'content-type': 'application/problem+json' });
}

type Operation = (db: Database, tenantId: string, actionId: string, userId?: string) => Promise<LedgerOutcome>;

/** Runs a ledger operation and answers the action as it is after it. */
async function decide(
  c: Context,
  db: Database,
  principal: Principal,
  id: string,
  operation: Operation,
  done: string,
): Promise<Response> {
  const user = await db.session((s) => actingUser(s, principal.userId));
  let outcome: LedgerOutcome;
  try {
    outcome = await operation(db, principal.tenantId, id, user);
  } catch (error) {
    if (error instanceof ActionNotFoundError) throw new ProblemError(404, error.message);
    if (error instanceof ActionStatusError) throw new ProblemError(409, error.message);
    if (error instanceof ActionConflictError) return conflictResponse(c, error);
    throw error;
  }
  if (outcome.unchanged) {
    throw new ProblemError(409, `the action is already ${done}: nothing was changed`, {
      errors: [{ field: 'status', message: `is ${outcome.status}` }],
    });
  }
  const row = await db.session((s) => getAction(s, principal.tenantId, id));
  return c.json(show(row!));
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
      const filter = { ...query, from: toInstant(query.from, 'start'), to: toInstant(query.to, 'end') };
      const rows = await db.session((s) => listActions(s, principal.tenantId, filter));
      return c.json(toPage(rows, query.limit));
    },
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
    async ({ c, db, principal, params }) => {
      const row = await db.session((s) => getAction(s, principal.tenantId, params.id));
      if (!row) throw new ProblemError(404, `no action ${params.id}`);
      return c.json(show(row));
    },
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
    ({ c, db, principal, params }) => decide(c, db, principal, params.id, approveAction, 'executed'),
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
    ({ c, db, principal, params }) => decide(c, db, principal, params.id, dismissAction, 'dismissed'),
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
    ({ c, db, principal, params }) => decide(c, db, principal, params.id, rollbackAction, 'rolled back'),
  );
}
