// Deleting a rule (admins; DELETE /api/rules/{id}): asked first, in the row. A rule that took
// actions stays (the ledger points at it): the API answers 409 and the row says to switch it off.
import { useState } from 'react';
import type { RuleRecord } from '../../../src/contract/rules.ts';
import { ApiError, request } from '../api/client.ts';
import { ErrorNotice, Spinner } from '../components/status.tsx';

export function DeleteRule({ rule, onDeleted }: { rule: RuleRecord; onDeleted: () => void }) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();

  async function remove() {
    setBusy(true);
    setError(undefined);
    try {
      await request(`/api/rules/${rule.id}`, { method: 'DELETE' });
      setAsking(false);
      onDeleted();
    } catch (failure) {
      setError(failure as Error);
    } finally {
      setBusy(false);
    }
  }

  if (!asking)
    return (
      <button type="button" onClick={() => setAsking(true)}>
        Delete
      </button>
    );
  const inUse = error instanceof ApiError && error.status === 409;
  return (
    <fieldset className="rule-delete" aria-label={`Delete ${rule.rule_name}`}>
      {inUse ? (
        <p className="notice warn" role="alert">
          “{rule.rule_name}” has taken actions that the ledger keeps pointing at, so it cannot be deleted. Switch it off
          instead.
        </p>
      ) : (
        <p>Delete “{rule.rule_name}”? It cannot be undone.</p>
      )}
      {error && !inUse && <ErrorNotice error={error} />}
      <div className="row">
        {!inUse && (
          <button type="button" className="danger" disabled={busy} onClick={() => void remove()}>
            {busy && <Spinner label="Deleting" />}
            Delete rule
          </button>
        )}
        <button
          type="button"
          onClick={() => {
            setAsking(false);
            setError(undefined);
          }}
        >
          {inUse ? 'Close' : 'Keep it'}
        </button>
      </div>
    </fieldset>
  );
}
