// A tenant as the API shows and changes it: its settings with the guardrails and CMO loop
// thresholds in force. How the command line names one: ./tenant-refs.ts.
import { guardrailSettingsSchema, loopSettingsSchema } from '../contract/tenant-settings.ts';
import type { Database } from '../db/port.ts';
import { getTenant, type TenantChanges, updateTenant } from '../db/repositories/tenants.ts';
import { NotFoundError } from '../domain/errors.ts';

/** The tenant with its settings read as the guardrails and CMO loop thresholds in force (defaults filled in). */
function showTenant(row: Record<string, unknown> | undefined, id: string) {
  if (!row) throw new NotFoundError(`no tenant ${id}`);
  const { settings, ...tenant } = row as { settings: { guardrails?: unknown; cmo_loop?: unknown } };
  return {
    ...tenant,
    guardrails: guardrailSettingsSchema.parse(settings.guardrails ?? {}),
    cmo_loop: loopSettingsSchema.parse(settings.cmo_loop ?? {}),
  };
}

/** A caller sees its own tenant only: any other id is as absent as a made-up one. */
function ownTenant(callerTenantId: string, id: string) {
  if (id !== callerTenantId) throw new NotFoundError(`no tenant ${id}`);
}

export async function getTenantSettings(db: Database, callerTenantId: string, id: string = callerTenantId) {
  ownTenant(callerTenantId, id);
  return showTenant(await db.session((s) => getTenant(s, id)), id);
}

export async function updateTenantSettings(db: Database, callerTenantId: string, id: string, changes: TenantChanges) {
  ownTenant(callerTenantId, id);
  return showTenant(await db.transaction((s) => updateTenant(s, id, changes)), id);
}
