import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { citusViolations, tenantTableDependencies } from './support/citus-rules.ts';
import { useTestDb } from './support/test-db.ts';

describe('Citus readiness of the schema', () => {
  const testDb = useTestDb();

  it('every tenant table keys, indexes and references by tenant_id', async () => {
    expect(await testDb().session(citusViolations)).toEqual([]);
  });

  it('catches a table that breaks the rules (the check can fail)', async () => {
    const violations = await testDb()
      .transaction(async (s) => {
        await s.exec(`
          CREATE TABLE bad_notes (id serial PRIMARY KEY, tenant_id uuid NOT NULL, campaign_id uuid,
                                  note text, UNIQUE (note),
                                  FOREIGN KEY (tenant_id, campaign_id) REFERENCES campaigns (tenant_id, id));
          CREATE TABLE bad_links (tenant_id uuid NOT NULL, id uuid NOT NULL, campaign_id uuid NOT NULL,
                                  PRIMARY KEY (tenant_id, id));
          CREATE UNIQUE INDEX bad_links_campaign ON bad_links (campaign_id);
          CREATE UNIQUE INDEX campaigns_global_id ON campaigns (id);
          ALTER TABLE bad_links ADD FOREIGN KEY (campaign_id) REFERENCES campaigns (id);`);
        const found = await citusViolations(s);
        throw Object.assign(new Error('rollback'), { found });
      })
      .catch((error: { found?: string[] }) => error.found);
    expect(violations).toEqual(
      expect.arrayContaining([
        'bad_notes.id: id column of type integer (want uuid or bigint)',
        'bad_notes: primary key does not start with tenant_id',
        expect.stringMatching(/^bad_notes: unique index .* lacks tenant_id$/),
        'bad_links: unique index bad_links_campaign lacks tenant_id',
        'campaigns: unique index campaigns_global_id lacks tenant_id',
        expect.stringMatching(/^bad_links: foreign key .* to campaigns does not carry tenant_id -> tenant_id$/),
      ]),
    );
    expect(await testDb().session(citusViolations)).toEqual([]);
  });

  it('docs/scaling.md distributes every tenant table, each after the tables it references', async () => {
    const doc = readFileSync(join(import.meta.dirname, '..', 'docs', 'scaling.md'), 'utf8');
    const script = /create_distributed_table\(t, 'tenant_id'\) FROM unnest\(ARRAY\[([^\]]+)\]/.exec(doc);
    const order = [...(script?.[1] ?? '').matchAll(/'([a-z_]+)'/g)].map((m) => m[1]!);
    const dependencies = await testDb().session(tenantTableDependencies);
    expect([...order].sort()).toEqual([...dependencies.keys()].sort());
    for (const [table, targets] of dependencies) {
      for (const target of targets) {
        expect(order.indexOf(target), `${table} references ${target}`).toBeLessThan(order.indexOf(table));
      }
    }
  });
});
