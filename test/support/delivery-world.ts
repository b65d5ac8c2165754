// Worlds for the delivery tests: a tenant whose e-mail sender is a local SMTP sink (and SMS
// sender a local Twilio), an audience, and a campaign launched by the real runner with steps of
// its own: each step an asset with its delay and variants.

import { DEFAULT_SYSTEM_USER_ID } from '../../src/config.ts';
import type { Database } from '../../src/db/port.ts';
import { deliverForTenant, type RunOptions } from '../../src/delivery/run-delivery.ts';
import { runCampaignAutomation } from '../../src/runner/campaign-runner.ts';
import { saveEmailSender, saveSmsSender } from '../../src/services/senders.ts';
import { createTenant, type TestTenant } from './scenario.ts';
import type { SmtpSink } from './smtp-sink.ts';
import { testDeliveryDeps } from './test-api.ts';

export const TWILIO_SID = `AC${'1'.repeat(32)}`;
export const TWILIO_TOKEN = 'twiliotesttoken0123456789abcdef';
export const SMS_FROM = '+15005550006';

export interface StepSpec {
  channel: 'email' | 'sms';
  delayHours?: number;
  variants: { label: string; subject?: string; body?: string; sms_copy?: string; status?: 'active' | 'killed' }[];
}

export interface ContactSpec {
  email?: string | null;
  phone?: string | null;
  first_name?: string | null;
  timezone?: string | null;
}

export interface DeliveryWorld extends TestTenant {
  campaignId: string;
  contactIds: string[];
  /** Asset ids by step, and variant ids by step and label. */
  steps: { assetId: string; variants: Record<string, string> }[];
}

/** A tenant sending e-mail through the sink (no TLS, no login), and SMS through a local Twilio if given. */
export async function senderTenant(
  db: Database,
  sinks: { smtp?: SmtpSink; twilioBaseUrl?: string; timezone?: string },
): Promise<TestTenant> {
  const t = await createTenant(db);
  if (sinks.timezone) {
    await db.session((s) => s.query('UPDATE tenants SET timezone = $2 WHERE id = $1', [t.tenantId, sinks.timezone]));
  }
  const deps = testDeliveryDeps({ twilioBaseUrl: sinks.twilioBaseUrl });
  if (sinks.smtp) {
    await saveEmailSender(db, deps, t.tenantId, {
      host: sinks.smtp.host,
      port: sinks.smtp.port,
      security: 'none',
      from_address: 'news@sender.example',
      from_name: 'Nightshift Tests',
      max_connections: 3,
      track_opens: true,
      track_clicks: true,
    });
  }
  if (sinks.twilioBaseUrl) {
    await saveSmsSender(db, deps, t.tenantId, {
      account_sid: TWILIO_SID,
      auth_token: TWILIO_TOKEN,
      from_number: SMS_FROM,
      max_in_flight: 4,
      quiet_hours: { start_hour: 21, end_hour: 8 },
    });
  }
  return t;
}

/**
 * A campaign with these steps and contacts, launched by the runner (recipients generated, 'sending').
 * `existingContacts` (ids) join its audience after the new ones: another campaign to the same people.
 */
export async function launchedCampaign(
  db: Database,
  t: TestTenant,
  spec: {
    contacts: ContactSpec[];
    existingContacts?: string[];
    steps: StepSpec[];
    goal?: 'leads' | 'meetings' | 'revenue';
  },
): Promise<DeliveryWorld> {
  const built = await db.transaction(async (s) => {
    const [segment] = await s.query<{ id: string }>(
      "INSERT INTO segments (tenant_id, workspace_id, name) VALUES ($1, $2, 'Audience ' || gen_random_uuid()) RETURNING id",
      [t.tenantId, t.workspaceId],
    );
    const contactIds: string[] = [];
    for (const c of spec.contacts) {
      const [row] = await s.query<{ id: string }>(
        'INSERT INTO contacts (tenant_id, email, phone, first_name, timezone) VALUES ($1, $2, $3, $4, $5) RETURNING id',
        [t.tenantId, c.email ?? null, c.phone ?? null, c.first_name ?? null, c.timezone ?? null],
      );
      contactIds.push(row!.id);
    }
    contactIds.push(...(spec.existingContacts ?? []));
    await s.query('INSERT INTO segment_members (tenant_id, segment_id, contact_id) SELECT $1, $2, unnest($3::uuid[])', [
      t.tenantId,
      segment!.id,
      contactIds,
    ]);
    const [campaign] = await s.query<{ id: string }>(
      `INSERT INTO campaigns (tenant_id, workspace_id, title, status, segment_id, scheduled_at, goal, channels)
       VALUES ($1, $2, 'Drip', 'scheduled', $3, now() - interval '1 minute', $4, $5) RETURNING id`,
      [t.tenantId, t.workspaceId, segment!.id, spec.goal ?? 'leads', [...new Set(spec.steps.map((st) => st.channel))]],
    );
    const steps: DeliveryWorld['steps'] = [];
    for (const [index, step] of spec.steps.entries()) {
      const [asset] = await s.query<{ id: string }>(
        `INSERT INTO content_assets (tenant_id, workspace_id, campaign_id, asset_type, name, channel, step_index, delay_hours)
         VALUES ($1, $2, $3, $4, $5, $4, $6, $7) RETURNING id`,
        [t.tenantId, t.workspaceId, campaign!.id, step.channel, `Step ${index + 1}`, index, step.delayHours ?? 0],
      );
      const variants: Record<string, string> = {};
      for (const v of step.variants) {
        const [row] = await s.query<{ id: string }>(
          `INSERT INTO content_variants (tenant_id, asset_id, variant_label, subject, body, sms_copy, status, killed_at, kill_reason)
           VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $7 = 'killed' THEN now() END, CASE WHEN $7 = 'killed' THEN 'test' END)
           RETURNING id`,
          [t.tenantId, asset!.id, v.label, v.subject ?? null, v.body ?? null, v.sms_copy ?? null, v.status ?? 'active'],
        );
        variants[v.label] = row!.id;
      }
      steps.push({ assetId: asset!.id, variants });
    }
    return { campaignId: campaign!.id, contactIds, steps };
  });
  await runCampaignAutomation(db, { tenantId: t.tenantId, systemUserId: DEFAULT_SYSTEM_USER_ID });
  return { ...t, ...built };
}

/**
 * One delivery run of the tenant, as the scheduled task runs it. `publicUrl` is where its links and
 * Twilio's callbacks point: a test API's URL for a test that follows them (a closed port unless given).
 */
export function deliver(
  db: Database,
  t: TestTenant,
  options: RunOptions & { twilioBaseUrl?: string; publicUrl?: string; timeoutMs?: number } = {},
) {
  const { twilioBaseUrl, publicUrl, timeoutMs, ...run } = options;
  return deliverForTenant(db, testDeliveryDeps({ twilioBaseUrl, publicUrl, timeoutMs }), t.tenantId, run);
}

export async function recipientStates(db: Database, w: DeliveryWorld) {
  return db.session((s) =>
    s.query<{
      contact_id: string;
      status: string;
      sequence_state: string;
      ended_reason: string | null;
      next_step_index: number;
    }>(
      `SELECT contact_id, status, sequence_state, ended_reason, next_step_index FROM campaign_recipients
        WHERE tenant_id = $1 AND campaign_id = $2 ORDER BY contact_id`,
      [w.tenantId, w.campaignId],
    ),
  );
}

export async function messagesOf(db: Database, w: DeliveryWorld) {
  return db.session((s) =>
    s.query<{
      id: string;
      contact_id: string;
      step_index: number;
      variant_id: string;
      status: string;
      to_address: string;
    }>(
      `SELECT id, contact_id, step_index, variant_id, status, to_address FROM campaign_messages
        WHERE tenant_id = $1 AND campaign_id = $2 ORDER BY step_index, to_address`,
      [w.tenantId, w.campaignId],
    ),
  );
}

export async function campaignStatus(db: Database, w: DeliveryWorld) {
  const [row] = await db.session((s) =>
    s.query<{ status: string }>('SELECT status FROM campaigns WHERE tenant_id = $1 AND id = $2', [
      w.tenantId,
      w.campaignId,
    ]),
  );
  return row!.status;
}

/** The campaign's counts on a channel in campaign_channel_stats_daily, all days summed. */
export async function channelStats(db: Database, w: DeliveryWorld, channel: 'email' | 'sms') {
  const [row] = await db.session((s) =>
    s.query<{ sends: number; opens: number; clicks: number; replies: number; bounces: number }>(
      `SELECT coalesce(sum(sends), 0)::int AS sends, coalesce(sum(opens), 0)::int AS opens,
              coalesce(sum(clicks), 0)::int AS clicks, coalesce(sum(replies), 0)::int AS replies,
              coalesce(sum(bounces), 0)::int AS bounces
         FROM campaign_channel_stats_daily WHERE tenant_id = $1 AND campaign_id = $2 AND channel = $3`,
      [w.tenantId, w.campaignId, channel],
    ),
  );
  return row!;
}

export const emailStats = (db: Database, w: DeliveryWorld) => channelStats(db, w, 'email');

/** A variant's counters, as the CMO loop reads them. */
export async function variantCounters(db: Database, w: DeliveryWorld, variantId: string) {
  const [row] = await db.session((s) =>
    s.query<{ sends: number; opens: number; clicks: number; replies: number }>(
      'SELECT sends, opens, clicks, replies FROM content_variants WHERE tenant_id = $1 AND id = $2',
      [w.tenantId, variantId],
    ),
  );
  return row!;
}

/** The tenant's suppression list, by channel and address. */
export async function suppressionsOf(db: Database, tenantId: string) {
  return db.session((s) =>
    s.query<{ channel: string; address: string; reason: string }>(
      'SELECT channel, address, reason FROM suppressions WHERE tenant_id = $1 ORDER BY channel, address',
      [tenantId],
    ),
  );
}

/** How many events the tenant's messages have had recorded, folded or not. */
export async function eventCount(db: Database, tenantId: string) {
  const [row] = await db.session((s) =>
    s.query<{ n: number }>('SELECT count(*)::int AS n FROM message_events WHERE tenant_id = $1', [tenantId]),
  );
  return row!.n;
}

/** A recipient's state by the contact's place in the campaign's contacts. */
export async function recipientOf(db: Database, w: DeliveryWorld, contact: number) {
  const states = await recipientStates(db, w);
  return states.find((r) => r.contact_id === w.contactIds[contact])!;
}
