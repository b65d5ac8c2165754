// The ledger as CSV (GET /api/actions/export): every action the filter matches, newest first, read
// in keyset pages so that a ledger of any size streams in bounded memory. The states are written
// as the ledger holds them (JSON) and the budgets beside them as plain numbers, unrounded.
import type { Database } from '../db/port.ts';
import * as actions from '../db/repositories/actions.ts';
import { type CsvCell, csvLine } from '../domain/csv-text.ts';

const PAGE = 500;

type Row = Awaited<ReturnType<typeof actions.listActions>>[number];
type State = Record<string, unknown> | null;

const COLUMNS: [string, (row: Row) => CsvCell][] = [
  ['created_at', (r) => iso(r.created_at)],
  ['action_id', (r) => r.id],
  ['campaign_id', (r) => r.campaign_id],
  ['campaign', (r) => r.campaign_title],
  ['action_type', (r) => r.action_type],
  ['status', (r) => r.status],
  ['rule', (r) => r.rule_name],
  ['reason', (r) => r.reason],
  ['confidence', (r) => r.confidence_score],
  ['expected_impact', (r) => r.expected_impact],
  ['previous_budget', (r) => budget(r.previous_state as State)],
  ['new_budget', (r) => budget(r.new_state as State)],
  ['previous_state', (r) => JSON.stringify(r.previous_state)],
  ['new_state', (r) => JSON.stringify(r.new_state)],
  ['executed_at', (r) => iso(r.executed_at)],
  ['decided_by', (r) => r.decided_by_name],
  ['rolled_back_at', (r) => iso(r.rolled_back_at)],
  ['rolled_back_by', (r) => r.rolled_back_by_name],
  ['error', (r) => r.error],
];

const iso = (at: Date | string | null) => (at === null ? null : new Date(at).toISOString());

/** A budget as the state holds it (a number, or numeric text), never reformatted. */
function budget(state: State): CsvCell {
  const value = state?.budget;
  return typeof value === 'number' || typeof value === 'string' ? value : null;
}

export type ExportFilter = Omit<actions.ActionFilter, 'limit' | 'cursor'>;

/** The CSV's lines: the header, then one line per action. */
export async function* ledgerCsv(db: Database, tenantId: string, filter: ExportFilter): AsyncGenerator<string> {
  yield csvLine(COLUMNS.map(([name]) => name));
  let cursor: actions.ActionFilter['cursor'];
  for (;;) {
    const page = await db.session((s) => actions.listActions(s, tenantId, { ...filter, limit: PAGE, cursor }));
    const rows = page.slice(0, PAGE);
    yield rows.map((row) => csvLine(COLUMNS.map(([, value]) => value(row)))).join('');
    const last = rows.at(-1);
    if (page.length <= PAGE || !last) return;
    cursor = { after: last.sort_key, id: last.id };
  }
}
