// "Download Markdown": the stored report of the week as a file.
import { Spinner } from '../components/status.tsx';
import { useDownload } from '../lib/download.ts';

export function SummaryMarkdownDownload({ week }: { week: string }) {
  const { busy, error, download } = useDownload();
  const path = `/api/weekly-summaries/${encodeURIComponent(week)}?format=markdown`;

  return (
    <div className="summaries-download">
      <button
        type="button"
        disabled={busy}
        onClick={() => void download(path, 'text/markdown', `weekly-summary-${week}.md`)}
      >
        {busy && <Spinner label="Preparing the report" />}
        Download Markdown
      </button>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
