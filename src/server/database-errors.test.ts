import { describe, expect, it } from 'vitest';
import { LockWaitTimeoutError, WorkCancelledError } from '../db/work-locks.ts';
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

  it('answers work past its bounds with 503, and a tenant run in progress or cancelled with 409', () => {
    expect(
      problemFromDatabaseError({ code: '55P03', message: 'canceling statement due to lock timeout' }),
    ).toMatchObject({ status: 503, headers: { 'retry-after': '5' } });
    expect(
      problemFromDatabaseError({ code: '57014', message: 'canceling statement due to statement timeout' }),
    ).toMatchObject({ status: 503, message: expect.stringContaining('statement timeout') });
    const holder = { holder: 'cycle via cli', since: new Date('2026-12-06T04:00:00Z'), pid: 4242 };
    expect(problemFromDatabaseError(new LockWaitTimeoutError('the cycle of tenant t', holder, 30_000))).toMatchObject({
      status: 409,
      message:
        'the cycle of tenant t is held by cycle via cli since 2026-12-06T04:00:00.000Z, server process 4242; gave up after waiting 30 s',
      headers: { 'retry-after': '30' },
    });
    expect(problemFromDatabaseError(new WorkCancelledError('cancelled by an administrator'))).toMatchObject({
      status: 409,
      message: 'cancelled by an administrator; nothing was written',
    });
  });

  it('leaves everything else to the 500 handler', () => {
    expect(problemFromDatabaseError(new Error('boom'))).toBeUndefined();
    expect(problemFromDatabaseError({ code: '42P01', message: 'relation does not exist' })).toBeUndefined();
  });
});
