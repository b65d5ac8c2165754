// "Send a test message" (POST /api/senders/{channel}/test): one real message through the saved
// sender, and what the provider answered, in its words.
import { type FormEvent, useState } from 'react';
import type { SenderRecord, SenderTestResult } from '../../../src/contract/senders.ts';
import { request } from '../api/client.ts';
import { messageFor, TextField } from './rules-fields.tsx';

export function SenderTest({ channel, onTested }: { channel: SenderRecord['channel']; onTested: () => void }) {
  const [to, setTo] = useState('');
  const [result, setResult] = useState<SenderTestResult>();
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);

  async function test(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    setResult(undefined);
    try {
      setResult(await request<SenderTestResult>(`/api/senders/${channel}/test`, { method: 'POST', body: { to } }));
      onTested();
    } catch (failure) {
      setError(failure as Error);
    } finally {
      setBusy(false);
    }
  }

  const toError = messageFor(error, 'to');
  return (
    <form
      className="panel"
      aria-label={`Test the ${channel === 'email' ? 'e-mail' : 'SMS'} sender`}
      onSubmit={(e) => void test(e)}
    >
      <h3>Test</h3>
      <TextField
        id={`${channel}-test-to`}
        label="Send to"
        type={channel === 'email' ? 'email' : 'text'}
        value={to}
        required
        placeholder={channel === 'email' ? 'you@example.com' : '+14155550100'}
        error={toError}
        onChange={setTo}
      />
      <div className="row full">
        <button type="submit" disabled={busy}>
          {busy ? 'Sending…' : 'Send a test message'}
        </button>
      </div>
      {result && (
        <p className={`test-result full ${result.ok ? 'ok' : 'field-error'}`} role="status" data-testid="test-answer">
          {result.ok ? 'Sent: ' : 'Not sent: '}
          {result.detail}
          {result.provider_id && <span className="muted small"> ({result.provider_id})</span>}
        </p>
      )}
      {error && !toError && (
        <p className="field-error full" role="alert">
          {error.message}
        </p>
      )}
    </form>
  );
}
