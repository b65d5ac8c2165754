// The row-level report of an import: what was written (or that nothing was), then each bad row,
// its column and the API's reason, in the order of the file.
import { count } from '../lib/format.ts';
import type { ImportOutcome } from './contacts-import-report.ts';

export function ImportReport({ outcome }: { outcome: ImportOutcome }) {
  const { written, imported, updated, skipped, addedToSegment, badRows, problems, summary } = outcome;
  return (
    <div className="import-report" data-testid="import-report" role="status">
      {written ? (
        <p>
          <strong>{count(imported)}</strong> created, <strong>{count(updated)}</strong> updated,{' '}
          <strong>{count(skipped)}</strong> skipped
          {addedToSegment > 0 && <>; {count(addedToSegment)} added to the segment</>}.
        </p>
      ) : (
        <p className="notice error">
          <strong>Nothing was imported.</strong> {summary}
        </p>
      )}
      {problems.length > 0 && (
        <ul className="small">
          {problems.map((p) => (
            <li key={`${p.field}:${p.message}`}>
              <strong>{p.field}</strong>: {p.message}
            </li>
          ))}
        </ul>
      )}
      {badRows.length > 0 && (
        <div className="table-wrap">
          <table className="import-errors">
            <thead>
              <tr>
                <th>Row</th>
                <th>Column</th>
                <th>Why</th>
              </tr>
            </thead>
            <tbody>
              {badRows.map((r) => (
                <tr key={`${r.row}:${r.field}:${r.message}`} data-testid="import-bad-row">
                  <td className="nowrap">{r.row}</td>
                  <td>{r.field ?? 'the row'}</td>
                  <td>{r.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted small">Rows are counted from the first after the header.</p>
        </div>
      )}
    </div>
  );
}
