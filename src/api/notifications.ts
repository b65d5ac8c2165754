// /api/notification-destinations: where the tenant's events go (Slack, e-mail, signed webhooks),
// which events each takes and how often, "send a test", and each destination's delivery log with
// "resend" (docs/notifications.md). Admins change them; members read them.
import { z } from 'zod';
import { uuid } from '../contract/fields.ts';
import {
  deliveryPage,
  destinationCreated,
  destinationInput,
  destinationList,
  destinationRecord,
  destinationTestResult,
} from '../contract/notifications.ts';
import type { DeliveryDeps } from '../delivery/run-delivery.ts';
import {
  createDestination,
  destinationDeliveries,
  listDestinations,
  removeDestination,
  resendDelivery,
  rollSigningSecret,
  saveDestination,
  setDestinationOn,
  testDestination,
} from '../services/notification-destinations.ts';
import { pageQuery, toPage } from './pagination.ts';
import type { ApiRouter } from './router.ts';

const TAG = 'Notifications';
const PATH = '/api/notification-destinations';
const idParams = z.strictObject({ id: uuid });

export function notificationRoutes(api: ApiRouter, deps: { delivery: DeliveryDeps }): void {
  const { delivery } = deps;

  api.tenant(
    {
      method: 'get',
      path: PATH,
      tag: TAG,
      summary: 'List the notification destinations, without their secrets',
      access: 'member',
      responses: { 200: { description: 'The destinations with their subscriptions', schema: destinationList } },
    },
    async ({ c, db, principal }) => c.json({ data: await listDestinations(db, delivery, principal.tenantId) }),
  );

  api.tenant(
    {
      method: 'post',
      path: PATH,
      tag: TAG,
      summary: 'Add a destination: a Slack incoming webhook, e-mail addresses, or a signed webhook',
      description:
        'A webhook’s signing secret is answered this once (signing_secret): verify each request’s Nightshift-Signature with it. E-mail goes through the tenant’s e-mail sender.',
      access: 'admin',
      body: destinationInput,
      responses: { 201: { description: 'The destination', schema: destinationCreated } },
    },
    async ({ c, db, principal, body }) => {
      const created = await createDestination(db, delivery, principal.tenantId, body, principal.userId);
      return c.json(created, 201, { location: `${PATH}/${created.id}` });
    },
  );

  api.tenant(
    {
      method: 'put',
      path: `${PATH}/{id}`,
      tag: TAG,
      summary: 'Change a destination (its kind stays)',
      description:
        'Name, settings and subscriptions are replaced; a secret left out keeps the stored one. Saving turns a disabled destination on again and forgives its failures.',
      access: 'admin',
      params: idParams,
      body: destinationInput,
      responses: { 200: { description: 'The destination', schema: destinationRecord } },
    },
    async ({ c, db, principal, params, body }) =>
      c.json(await saveDestination(db, delivery, principal.tenantId, params.id, body)),
  );

  api.tenant(
    {
      method: 'delete',
      path: `${PATH}/{id}`,
      tag: TAG,
      summary: 'Delete a destination with its subscriptions and delivery log',
      access: 'admin',
      params: idParams,
      responses: { 204: { description: 'Deleted' } },
    },
    async ({ c, db, principal, params }) => {
      await removeDestination(db, principal.tenantId, params.id);
      return c.body(null, 204);
    },
  );

  api.tenant(
    {
      method: 'post',
      path: `${PATH}/{id}/enabled`,
      tag: TAG,
      summary: 'Turn a destination on or off',
      description: 'Off cancels its waiting deliveries; on forgives its failures.',
      access: 'admin',
      params: idParams,
      body: z.strictObject({ enabled: z.boolean() }),
      responses: { 200: { description: 'The destination', schema: destinationRecord } },
    },
    async ({ c, db, principal, params, body }) =>
      c.json(await setDestinationOn(db, delivery, principal.tenantId, params.id, body.enabled)),
  );

  api.tenant(
    {
      method: 'post',
      path: `${PATH}/{id}/signing-secret`,
      tag: TAG,
      summary: 'Roll a webhook’s signing secret',
      description: 'The new secret is answered this once; the old one stops verifying at once.',
      access: 'admin',
      params: idParams,
      responses: { 200: { description: 'The new secret', schema: z.object({ signing_secret: z.string() }) } },
    },
    async ({ c, db, principal, params }) =>
      c.json(await rollSigningSecret(db, delivery, principal.tenantId, params.id)),
  );

  api.tenant(
    {
      method: 'post',
      path: `${PATH}/{id}/test`,
      tag: TAG,
      summary: 'Send a test message to a destination now',
      description:
        'A webhook gets an envelope of type "test", signed as every event is. ok says whether the destination accepted it; the answer’s words otherwise. Not written to the delivery log.',
      access: 'admin',
      params: idParams,
      responses: { 200: { description: 'What the destination answered', schema: destinationTestResult } },
    },
    async ({ c, db, principal, params }) => c.json(await testDestination(db, delivery, principal.tenantId, params.id)),
  );

  api.tenant(
    {
      method: 'get',
      path: `${PATH}/{id}/deliveries`,
      tag: TAG,
      summary: 'A destination’s delivery log, newest first',
      description:
        'Each event sent (or to be sent) to the destination: its status, attempts, the last answer’s status code and latency, the error, and when it is tried next.',
      access: 'member',
      params: idParams,
      query: z.strictObject(pageQuery),
      responses: { 200: { description: 'A page of deliveries', schema: deliveryPage } },
    },
    async ({ c, db, principal, params, query }) => {
      const rows = await destinationDeliveries(db, principal.tenantId, params.id, query);
      return c.json(toPage(rows, query.limit));
    },
  );

  api.tenant(
    {
      method: 'post',
      path: '/api/notification-deliveries/{id}/resend',
      tag: TAG,
      summary: 'Send a delivery again',
      description:
        'Due at once with 3 days of retries afresh, with the same event id (receivers dedupe on it). One being sent right now is left as it is.',
      access: 'admin',
      params: idParams,
      responses: {
        200: {
          description: 'The delivery’s status now',
          schema: z.object({ delivery_id: uuid, status: z.string() }),
        },
      },
    },
    async ({ c, db, principal, params }) => c.json(await resendDelivery(db, principal.tenantId, params.id)),
  );
}
