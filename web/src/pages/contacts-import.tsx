// Importing contacts from a CSV file (POST /api/contacts/import, members): the file, what to do
// with bad rows (import nothing, or skip them), and a segment every imported contact joins; then
// the row-level report: how many were created, updated and skipped, and each bad row with why.
import { type FormEvent, useState } from 'react';
import type { ContactImportReport } from '../../../src/contract/contacts.ts';
import type { Page } from '../../../src/contract/page.ts';
import type { SegmentRecord } from '../../../src/contract/segments.ts';
import { query, request } from '../api/client.ts';
import { useApi } from '../api/use-api.ts';
import { ErrorNotice } from '../components/status.tsx';
import { fromRefusal, fromReport, type ImportOutcome } from './contacts-import-report.ts';
import { ImportReport } from './contacts-import-table.tsx';

type OnError = 'abort' | 'skip';

export function ContactImport({ onImported }: { onImported: () => void }) {
  const segments = useApi<Page<SegmentRecord>>('/api/segments?limit=200');
  const [file, setFile] = useState<File>();
  const [onError, setOnError] = useState<OnError>('abort');
  const [segmentId, setSegmentId] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<ImportOutcome>();
  const [failure, setFailure] = useState<Error>();

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    setOutcome(undefined);
    setFailure(undefined);
    try {
      const report = await request<ContactImportReport>(
        `/api/contacts/import${query({ on_error: onError, segment_id: segmentId })}`,
        { method: 'POST', text: { type: 'text/csv', content: await file.text() } },
      );
      setOutcome(fromReport(report));
      onImported();
    } catch (error) {
      const refused = fromRefusal(error);
      if (refused) setOutcome(refused);
      else setFailure(error as Error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <details className="panel contact-import">
      <summary>Import contacts from a CSV file</summary>
      <form aria-label="Import contacts" className="import-form" onSubmit={(e) => void submit(e)}>
        <div className="field">
          <label htmlFor="import-file">CSV file</label>
          <input
            id="import-file"
            type="file"
            accept=".csv,text/csv"
            required
            onChange={(e) => setFile(e.target.files?.[0])}
          />
          <span className="hint">
            A header row, then one contact a row: email or phone, and first_name, last_name, company, job_title,
            timezone; any other column is kept as an attribute. A contact whose e-mail (or phone) is known is updated.
            Up to 10,000 rows.
          </span>
        </div>
        <fieldset className="field">
          <legend>When a row is bad</legend>
          <label className="check">
            <input type="radio" name="on-error" checked={onError === 'abort'} onChange={() => setOnError('abort')} />
            Import nothing, and list the bad rows
          </label>
          <label className="check">
            <input type="radio" name="on-error" checked={onError === 'skip'} onChange={() => setOnError('skip')} />
            Import the good rows, skip the bad ones
          </label>
        </fieldset>
        <div className="field">
          <label htmlFor="import-segment">Add them to a segment (optional)</label>
          <select id="import-segment" value={segmentId} onChange={(e) => setSegmentId(e.target.value)}>
            <option value="">No segment</option>
            {segments.data?.data.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
          {segments.error && (
            <span className="field-error">The segments could not be read: {segments.error.message}</span>
          )}
        </div>
        <div className="row full">
          <button type="submit" className="primary" disabled={busy || !file}>
            {busy ? 'Importing…' : 'Import'}
          </button>
        </div>
      </form>
      {failure && <ErrorNotice error={failure} />}
      {outcome && <ImportReport outcome={outcome} />}
    </details>
  );
}
