import { describe, expect, it } from 'vitest';
import { problemFromDatabaseError } from './database-errors.ts';

describe('database errors as problems', () => {
  it('names the key column of a foreign key or unique violation, also without the RLS-hidden detail', () => {
    const fk = problemFromDatabaseError({
      code: '23503',
      table: 'campaigns',
      constraint: 'campaigns_tenant_id_segment_id_fkey',
      message: 'x',
    });
    expect(fk).toMatchObject({ status: 422, errors: [{ field: 'segment_id', in: 'body' }] });
    const unique = problemFromDatabaseError({
      code: '23505',
      detail: 'Key (tenant_id, slug)=(…, emea) already exists.',
      message: 'x',
    });
    expect(unique).toMatchObject({ status: 409, errors: [{ field: 'slug' }] });
  });

  it('answers a deadlock or serialization failure with 503 and Retry-After', () => {
    for (const code of ['40P01', '40001']) {
      expect(problemFromDatabaseError({ code, message: 'deadlock detected' })).toMatchObject({
        status: 503,
        headers: { 'retry-after': '1' },
      });
    }
  });

  it('leaves everything else to the 500 handler', () => {
    expect(problemFromDatabaseError(new Error('boom'))).toBeUndefined();
    expect(problemFromDatabaseError({ code: '42P01', message: 'relation does not exist' })).toBeUndefined();
  });
});
