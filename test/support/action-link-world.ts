// A tenant with a campaign and a pending suggestion to pause it, and links to act on it, for the
// tests of acting from a message (test/notify-action-links.test.ts, test/notify-slack-interactions.test.ts).
import { afterAll, beforeAll } from 'vitest';
import type { Database } from '../../src/db/port.ts';
import { tenantScoped } from '../../src/db/tenant-scope.ts';
import { recordActions } from '../../src/ledger/record.ts';
import { actionLinkKey } from '../../src/notify/action-link-token.ts';
import { type IssuedActionLink, issueActionLink, type NewActionLink } from '../../src/notify/action-links.ts';
import { createCampaign, createTenant, type TestTenant } from './scenario.ts';
import { startTestApi, TEST_ENCRYPTION_KEY, type TestApi } from './test-api.ts';
import { useTestDb } from './test-db.ts';

export const LINK_KEY = actionLinkKey(TEST_ENCRYPTION_KEY);

export interface LinkWorld {
  t: TestTenant;
  campaignId: string;
  actionId: string;
}

/**
 * A campaign titled with markup (pages must escape it) and a pending suggestion to pause it, in a
 * new tenant or the one given (whose destinations then hear of the suggestion).
 */
export async function pendingPauseWorld(db: Database, tenant?: TestTenant): Promise<LinkWorld> {
  const t = tenant ?? (await createTenant(db));
  const campaignId = await createCampaign(db, t, { title: 'Spring <b>sale</b>', budget: 200, hoursRunning: 72 });
  const [row] = await tenantScoped(db, t.tenantId).transaction((s) =>
    recordActions(s, t.tenantId, {}, [
      {
        campaignId,
        actionType: 'auto_pause',
        reason: 'ROI 0.25 over 3 days & falling',
        previousState: { status: 'active', budget: 200 },
        newState: { status: 'paused', budget: 200 },
        status: 'pending',
        confidence: 0.87,
      },
    ]),
  );
  return { t, campaignId, actionId: row!.id };
}

export function issue(
  db: Database,
  publicUrl: string,
  link: Omit<NewActionLink, 'tenantId'> & { tenantId: string },
): Promise<IssuedActionLink> {
  return tenantScoped(db, link.tenantId).transaction((s) =>
    issueActionLink(s, { actionLinkKey: LINK_KEY, publicUrl }, link),
  );
}

export interface ActionNames {
  status: string;
  decided_by_name: string | null;
  rolled_back_by_name: string | null;
}

export async function actionNow(db: Database, tenantId: string, actionId: string): Promise<ActionNames> {
  const [row] = await db.session((s) =>
    s.query<ActionNames>(
      'SELECT status, decided_by_name, rolled_back_by_name FROM autonomous_actions WHERE tenant_id = $1 AND id = $2',
      [tenantId, actionId],
    ),
  );
  return row!;
}

export async function linkRow(db: Database, tenantId: string, linkId: string) {
  const [row] = await db.session((s) =>
    s.query<{ used_at: Date | null; used_by: string | null; outcome: string | null }>(
      'SELECT used_at, used_by, outcome FROM action_links WHERE tenant_id = $1 AND id = $2',
      [tenantId, linkId],
    ),
  );
  return row!;
}

export const ledgerCount = async (db: Database, tenantId: string) =>
  (
    await db.session((s) =>
      s.query<{ n: number }>('SELECT count(*)::int AS n FROM autonomous_actions WHERE tenant_id = $1', [tenantId]),
    )
  )[0]!.n;

/** The test API over the test database, on a clock the test moves (`clock.now`, ms; the real time at first). */
export function useClockedTestApi(options: { slackBaseUrl?: () => string } = {}) {
  const db = useTestDb();
  const clock = { now: Date.now() };
  let api: TestApi | undefined;
  beforeAll(async () => {
    const slackBaseUrl = options.slackBaseUrl?.();
    api = await startTestApi(db(), { now: () => clock.now, ...(slackBaseUrl ? { slackBaseUrl } : {}) });
  });
  afterAll(() => api?.close());
  return {
    db,
    clock,
    api: () => {
      if (!api) throw new Error('the test API is not started yet');
      return api;
    },
  };
}
