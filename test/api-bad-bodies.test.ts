// Property: no generated bad body makes any write route fail on the server's side or write
// anything. Every POST/PUT/PATCH/DELETE of the OpenAPI document is called on the caller's own real
// rows and a real schedule (so a body that passed would act) with bodies that cannot be valid:
// malformed JSON, JSON that is not an object, objects shaped like the route's body but carrying an
// unknown field, and for CSV routes CSV without the columns a row needs. Answers must be 4xx; both
// tenants' rows and the schedules must be exactly as before.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pathIn, tenantFingerprint, useTwoTenantApi } from './support/tenant-world.ts';
import { TEST_INTERNAL_SECRET, tokenFor } from './support/test-api.ts';

interface Operation {
  requestBody?: { content: Record<string, { schema?: { properties?: Record<string, unknown> } }> };
  security?: { internalSecret?: unknown }[];
}

interface BadRequest {
  body: string;
  contentType?: string;
}

const malformedJson = fc
  .string({ maxLength: 40 })
  .map((text) => `{${text}`)
  .filter((text) => {
    try {
      JSON.parse(text);
      return false;
    } catch {
      return true;
    }
  });

const notAnObject = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ minLength: 0, maxLength: 20 }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }),
);

/** Keys of the route's body (or none), each maybe present with any JSON value, plus one unknown key. */
const shapedWithUnknownField = (keys: string[]) =>
  fc
    .tuple(
      fc.record(Object.fromEntries(keys.map((key) => [key, fc.jsonValue({ maxDepth: 2 })])), { requiredKeys: [] }),
      fc.string({ minLength: 1, maxLength: 12 }).map((name) => `zz_unknown_${name}`),
      fc.jsonValue({ maxDepth: 1 }),
    )
    .map(([shaped, unknownKey, value]) => ({ ...shaped, [unknownKey]: value }));

const contentType = fc.constantFrom<string | undefined>(
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  undefined,
);

function badRequests(operation: Operation): fc.Arbitrary<BadRequest> {
  const keys = Object.keys(operation.requestBody?.content['application/json']?.schema?.properties ?? {});
  const json = fc.oneof(
    malformedJson,
    notAnObject.map((value) => JSON.stringify(value)),
    shapedWithUnknownField(keys).map((value) => JSON.stringify(value)),
  );
  const asJson = fc.tuple(json, contentType).map(([body, type]) => ({ body, contentType: type }));
  if (!operation.requestBody?.content['text/csv']) return asJson;
  const csv = fc
    .array(
      fc.array(
        fc.string({ maxLength: 8 }).filter((cell) => !/[@\d]/.test(cell)),
        { minLength: 1, maxLength: 3 },
      ),
      {
        minLength: 1,
        maxLength: 5,
      },
    )
    .map((rows) => `note,colour\n${rows.map((row) => row.join(',')).join('\n')}`);
  return fc.oneof(
    asJson,
    csv.map((body) => ({ body, contentType: 'text/csv' })),
  );
}

describe('bad bodies on every write route', () => {
  const world = useTwoTenantApi<Operation>();
  const testDb = world.db;

  it('answers 4xx, never 5xx, and writes nothing', async () => {
    const [api, a, b] = [world.api(), world.a(), world.b()];
    const token = await tokenFor(testDb(), a.t.tenantId, 'admin');
    const before = {
      a: await tenantFingerprint(testDb(), a.t.tenantId),
      b: await tenantFingerprint(testDb(), b.t.tenantId),
    };
    // What the schedule routes could change (the scheduler may move next_run_at meanwhile).
    const schedules = () =>
      testDb().session((s) => s.query('SELECT name, cron, timezone, enabled, data FROM job_schedules ORDER BY name'));
    const schedulesBefore = await schedules();
    let routes = 0;
    for (const [path, methods] of Object.entries(world.paths())) {
      const url = `${api.url}${pathIn(path, a.ids)}`;
      for (const [method, operation] of Object.entries(methods)) {
        if (method === 'get') continue;
        routes++;
        const internal = operation.security?.some((s) => 'internalSecret' in s);
        const auth = internal ? { 'x-internal-secret': TEST_INTERNAL_SECRET } : { authorization: `Bearer ${token}` };
        await fc.assert(
          fc.asyncProperty(badRequests(operation), async ({ body, contentType: type }) => {
            const response = await fetch(url, {
              method: method.toUpperCase(),
              headers: { ...auth, ...(type ? { 'content-type': type } : {}) },
              body,
            });
            await response.arrayBuffer();
            return response.status >= 400 && response.status < 500;
          }),
          { numRuns: 15, endOnFailure: true },
        );
        expect(await tenantFingerprint(testDb(), a.t.tenantId), `${method} ${path}`).toEqual(before.a);
      }
    }
    expect(routes).toBeGreaterThan(20);
    expect(await tenantFingerprint(testDb(), b.t.tenantId)).toEqual(before.b);
    expect(await schedules()).toEqual(schedulesBefore);
  });
});
