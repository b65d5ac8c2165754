// The API's list of action types (what the ledger's filter accepts, what the dashboard offers) is
// written as a plain list for the dashboard; it must name every type the ledger holds, the CMO
// loop's included, or a filter by one of them is refused.
import { describe, expect, it } from 'vitest';
import { ACTION_TYPES } from '../src/contract/action-vocabulary.ts';
import { LEDGER_ACTION_TYPES } from '../src/ledger/registry.ts';

describe('the action types', () => {
  it('the API lists exactly the types the ledger holds', () => {
    expect([...ACTION_TYPES].sort()).toEqual([...LEDGER_ACTION_TYPES].sort());
  });
});
