// `nightshift workspaces`: each tenant's workspaces (GET /api/workspaces), under a heading per
// tenant, or one tenant's with --tenant; the ids `nightshift agent --workspace` takes.
import { tenantScoped } from '../db/tenant-scope.ts';
import { listTenants, resolveTenant } from '../services/tenant-refs.ts';
import { listWorkspaces } from '../services/workspaces.ts';
import { commandConfig, withDatabase } from './context.ts';
import { table } from './table.ts';
import { tenantName } from './tenant-name.ts';

export async function workspacesCommand(options: { tenant?: string; json?: boolean }): Promise<void> {
  const { config } = commandConfig();
  const tenants = await withDatabase(config, async (db) => {
    const refs =
      options.tenant === undefined ? await listTenants(db, 'slug') : [await resolveTenant(db, options.tenant)];
    return Promise.all(
      refs.map(async (t) => ({ ...t, workspaces: await listWorkspaces(tenantScoped(db, t.id), t.id) })),
    );
  });
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ tenants }, null, 2)}\n`);
    return;
  }
  if (tenants.length === 0) {
    process.stdout.write('No tenants yet (`nightshift demo` creates one).\n');
    return;
  }
  const sections = tenants.map((t) => {
    const rows = t.workspaces.map((w) => [w.id, w.slug, w.name, new Date(w.created_at).toISOString().slice(0, 10)]);
    const body = rows.length === 0 ? '  no workspace' : indent(table(['id', 'slug', 'name', 'created'], rows));
    return `${tenantName(t, t.id)}\n${body}`;
  });
  process.stdout.write(`${sections.join('\n\n')}\n`);
}

const indent = (text: string) =>
  text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
