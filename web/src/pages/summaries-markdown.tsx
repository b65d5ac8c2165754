// "Download Markdown": the stored report of the week as a file. Fetched with the credential (a
// plain link could not send it), then handed to the browser as a download; nothing is rendered.
import { useState } from 'react';
import { send } from '../api/client.ts';
import { Spinner } from '../components/status.tsx';

export function SummaryMarkdownDownload({ week }: { week: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  async function download() {
    setBusy(true);
    setError(undefined);
    try {
      const response = await send(`/api/weekly-summaries/${encodeURIComponent(week)}?format=markdown`, {
        headers: { accept: 'text/markdown' },
      });
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement('a');
      link.href = url;
      link.download = `weekly-summary-${week}.md`;
      link.click();
      // Give the browser the time to start the download before the address goes.
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="summaries-download">
      <button type="button" disabled={busy} onClick={() => void download()}>
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
