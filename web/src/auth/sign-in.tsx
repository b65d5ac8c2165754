// Sign-in: paste a token or an API key. A sign-in link (`/#token=…`) skips this page.
import { type FormEvent, useEffect, useState } from 'react';
import { Spinner } from '../components/status.tsx';

export function SignIn({ onSignIn, problem }: { onSignIn: (credential: string) => Promise<void>; problem?: string }) {
  const [credential, setCredential] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(problem);
  // A problem found after the page showed (a sign-in link refused a moment later) still shows.
  useEffect(() => setError(problem), [problem]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const value = credential.trim();
    if (!value) {
      setError('Paste a token or an API key first.');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await onSignIn(value);
    } catch (failure) {
      setError((failure as Error).message);
      setBusy(false);
    }
  }

  return (
    <main className="sign-in">
      <form onSubmit={submit} className="panel" aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Nightshift</h1>
        <p>
          Sign in with a token (<code>nightshift token --link</code> prints a sign-in link) or an API key.
        </p>
        <label htmlFor="credential">Token or API key</label>
        <textarea
          id="credential"
          rows={4}
          value={credential}
          onChange={(e) => setCredential(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'sign-in-error' : undefined}
          spellCheck={false}
          autoComplete="off"
        />
        {error && (
          <p id="sign-in-error" className="field-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? <Spinner label="Signing in" /> : null} Sign in
        </button>
      </form>
    </main>
  );
}
