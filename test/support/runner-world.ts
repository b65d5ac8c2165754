// Audiences and scheduled campaigns for the campaign runner's tests.
import type { Database } from '../../src/db/port.ts';
import type { TestTenant } from './scenario.ts';

/** A segment of `active` active contacts plus `inactive` unsubscribed or bounced ones. */
export async function createAudience(
  db: Database,
  t: TestTenant,
  counts: { active: number; inactive?: number },
): Promise<{ segmentId: string; activeContactIds: string[] }> {
  return db.transaction(async (s) => {
    const [segment] = await s.query<{ id: string }>(
      "INSERT INTO segments (tenant_id, workspace_id, name) VALUES ($1, $2, 'Audience ' || gen_random_uuid()) RETURNING id",
      [t.tenantId, t.workspaceId],
    );
    const contacts = await s.query<{ id: string; status: string }>(
      `INSERT INTO contacts (tenant_id, email, status)
       SELECT $1, 'c' || i || '-' || gen_random_uuid() || '@example.com',
              CASE WHEN i <= $2::int THEN 'active' WHEN i % 2 = 0 THEN 'unsubscribed' ELSE 'bounced' END
         FROM generate_series(1, $2::int + $3::int) AS i
       RETURNING id, status`,
      [t.tenantId, counts.active, counts.inactive ?? 0],
    );
    await s.query('INSERT INTO segment_members (tenant_id, segment_id, contact_id) SELECT $1, $2, unnest($3::uuid[])', [
      t.tenantId,
      segment!.id,
      contacts.map((c) => c.id),
    ]);
    return {
      segmentId: segment!.id,
      activeContactIds: contacts.filter((c) => c.status === 'active').map((c) => c.id),
    };
  });
}

export async function createScheduledCampaign(
  db: Database,
  t: TestTenant,
  spec: { title: string; segmentId?: string; minutesFromNow?: number; status?: string },
): Promise<string> {
  const [row] = await db.session((s) =>
    s.query<{ id: string }>(
      `INSERT INTO campaigns (tenant_id, workspace_id, title, status, segment_id, scheduled_at)
       VALUES ($1, $2, $3, $4, $5, now() + make_interval(mins => $6)) RETURNING id`,
      [
        t.tenantId,
        t.workspaceId,
        spec.title,
        spec.status ?? 'scheduled',
        spec.segmentId ?? null,
        spec.minutesFromNow ?? -5,
      ],
    ),
  );
  return row!.id;
}

export async function recipientsOf(db: Database, t: TestTenant, campaignId: string): Promise<string[]> {
  const rows = await db.session((s) =>
    s.query<{ contact_id: string }>(
      'SELECT contact_id FROM campaign_recipients WHERE tenant_id = $1 AND campaign_id = $2 ORDER BY contact_id',
      [t.tenantId, campaignId],
    ),
  );
  return rows.map((r) => r.contact_id);
}

export async function launchState(db: Database, t: TestTenant, campaignId: string) {
  const [row] = await db.session((s) =>
    s.query<{ status: string; launched_by: string | null; started: boolean; version: number }>(
      'SELECT status, launched_by, started_at IS NOT NULL AS started, version FROM campaigns WHERE tenant_id = $1 AND id = $2',
      [t.tenantId, campaignId],
    ),
  );
  return row!;
}
