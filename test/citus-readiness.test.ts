import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/port.ts';
import { citusViolations } from './support/citus-rules.ts';
import { openTestDb } from './support/test-db.ts';

describe('Citus readiness of the schema', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDb();
  });
  afterAll(() => db.close());

  it('every tenant table keys, indexes and references by tenant_id', async () => {
    expect(await db.session(citusViolations)).toEqual([]);
  });

  it('catches a table that breaks the rules (the check can fail)', async () => {
    const violations = await db
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
    expect(await db.session(citusViolations)).toEqual([]);
  });
});
