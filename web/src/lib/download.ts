// A file the API answers, saved by the browser: fetched with the credential (a plain link could
// not send it), then handed over as a download; nothing is rendered. The hook keeps the button's
// state: busy while it is fetched, and the error of the last attempt.
import { useState } from 'react';
import { send } from '../api/client.ts';

async function downloadFile(path: string, accept: string, filename: string): Promise<void> {
  const response = await send(path, { headers: { accept } });
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  // Give the browser the time to start the download before the address goes.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function useDownload() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  async function download(path: string, accept: string, filename: string) {
    setBusy(true);
    setError(undefined);
    try {
      await downloadFile(path, accept, filename);
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, download };
}
