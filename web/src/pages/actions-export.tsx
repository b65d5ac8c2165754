// "Export CSV": the ledger as the filters show it, every matching action (not only the loaded
// pages), as the API writes it (GET /api/actions/export).
import { query } from '../api/client.ts';
import { Icon } from '../components/icon.tsx';
import { Spinner } from '../components/status.tsx';
import { useDownload } from '../lib/download.ts';
import type { ActionFilter } from './actions-filters.tsx';

export function ActionsExport({ filter }: { filter: ActionFilter }) {
  const { busy, error, download } = useDownload();
  const day = new Date().toISOString().slice(0, 10);
  const path = `/api/actions/export${query({ ...filter })}`;

  return (
    <>
      <button
        type="button"
        disabled={busy}
        onClick={() => void download(path, 'text/csv', `nightshift-actions-${day}.csv`)}
      >
        {busy ? <Spinner label="Preparing the export" /> : <Icon name="download" />}
        Export CSV
      </button>
      {error && (
        <p className="field-error" role="alert">
          The export failed: {error}
        </p>
      )}
    </>
  );
}
