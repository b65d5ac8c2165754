// How the command line names a tenant to people: its name, and the slug `--tenant` takes.
import type { TenantRef } from '../db/repositories/tenant-refs.ts';

/** "Acme Corp (acme)"; a tenant the command did not look up (gone meanwhile) by its id. */
export function tenantName(tenant: TenantRef | undefined, id: string): string {
  return tenant ? `${tenant.name} (${tenant.slug})` : id;
}
