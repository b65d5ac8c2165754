// The tenant's senders (table message_senders): one per channel. Settings are stored as given
// (validated by src/contract/senders.ts); secrets only encrypted, by the service that owns the key.
import type { SqlSession } from '../port.ts';

export interface SenderRow {
  id: string;
  channel: 'email' | 'sms';
  settings: Record<string, unknown>;
  /** Encrypted JSON of the channel's secrets. */
  secrets: string;
  status: 'active' | 'needs_attention' | 'disabled';
  last_error: string | null;
  tested_at: Date | null;
  test_result: string | null;
  updated_at: Date;
}

const COLUMNS = 'id, channel, settings, secrets, status, last_error, tested_at, test_result, updated_at';

export function sendersOf(s: SqlSession, tenantId: string): Promise<SenderRow[]> {
  return s.query<SenderRow>(`SELECT ${COLUMNS} FROM message_senders WHERE tenant_id = $1 ORDER BY channel`, [tenantId]);
}

/** Sets the channel's sender (made active again: new settings are a person's fix). */
export async function saveSender(
  s: SqlSession,
  tenantId: string,
  sender: { channel: 'email' | 'sms'; settings: Record<string, unknown>; secrets: string },
): Promise<SenderRow> {
  const [row] = await s.query<SenderRow>(
    `INSERT INTO message_senders (tenant_id, channel, settings, secrets)
     VALUES ($1, $2, $3::jsonb, $4)
     ON CONFLICT (tenant_id, channel) DO UPDATE
       SET settings = excluded.settings, secrets = excluded.secrets, status = 'active', last_error = NULL,
           updated_at = now()
     RETURNING ${COLUMNS}`,
    [tenantId, sender.channel, JSON.stringify(sender.settings), sender.secrets],
  );
  return row!;
}

/** The provider refused the credentials: nothing of the channel is sent until a person fixes them. */
export async function flagSender(s: SqlSession, tenantId: string, channel: string, error: string): Promise<void> {
  await s.query(
    `UPDATE message_senders SET status = 'needs_attention', last_error = $3, updated_at = now()
      WHERE tenant_id = $1 AND channel = $2 AND status = 'active'`,
    [tenantId, channel, error],
  );
}

export async function recordSenderTest(
  s: SqlSession,
  tenantId: string,
  channel: string,
  result: string,
): Promise<void> {
  await s.query(
    `UPDATE message_senders SET tested_at = now(), test_result = $3 WHERE tenant_id = $1 AND channel = $2`,
    [tenantId, channel, result],
  );
}

export async function setSenderStatus(
  s: SqlSession,
  tenantId: string,
  channel: string,
  status: 'active' | 'disabled',
): Promise<SenderRow | undefined> {
  const [row] = await s.query<SenderRow>(
    `UPDATE message_senders SET status = $3, last_error = NULL, updated_at = now()
      WHERE tenant_id = $1 AND channel = $2 RETURNING ${COLUMNS}`,
    [tenantId, channel, status],
  );
  return row;
}
