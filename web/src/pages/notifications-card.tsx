// One notification destination: where it sends, its status (a disabled one says why, in red), what
// it takes, its failing streak, the last test's answer, and a link to its delivery log; for admins
// Edit, Turn off/on, Send a test, Roll secret (webhooks) and Delete (asked first).
import { useState } from 'react';
import type { DestinationRecord, DestinationTestResult } from '../../../src/contract/notifications.ts';
import { request } from '../api/client.ts';
import { useSession } from '../auth/session-context.tsx';
import { Badge } from '../components/badge.tsx';
import { ConfirmButton } from '../components/confirm-button.tsx';
import { Spinner } from '../components/status.tsx';
import { dateTime } from '../lib/format.ts';
import { href } from '../lib/route.ts';
import { DestinationForm } from './notifications-form.tsx';
import { RollSecret, SecretOnce } from './notifications-secret.tsx';
import { KIND_LABELS, subscriptionWords } from './notifications-words.ts';

function target(d: DestinationRecord): string {
  const { url, addresses, webhook_host } = d.settings;
  if (d.kind === 'webhook') return String(url ?? '');
  if (d.kind === 'email') return Array.isArray(addresses) ? addresses.join(', ') : '';
  return `Incoming webhook at ${String(webhook_host ?? 'Slack')}`;
}

function TestAnswer({ result }: { result: DestinationTestResult }) {
  const status = result.response_status === null ? 'no answer' : `status ${result.response_status}`;
  return (
    <p className={`test-result ${result.ok ? 'ok' : 'field-error'}`} role="status" data-testid="test-answer">
      {result.ok
        ? `Test delivered (${status}, ${result.latency_ms} ms).`
        : `Test not delivered: ${result.detail} (${status}).`}
    </p>
  );
}

export function DestinationCard({
  destination: d,
  secret,
  onSecret,
  onChange,
}: {
  destination: DestinationRecord;
  /** Its signing secret, while it is to be shown (once). */
  secret: string | undefined;
  /** A secret to show once (rolled here), or undefined once it is stored. */
  onSecret: (secret: string | undefined) => void;
  onChange: () => void;
}) {
  const { can } = useSession();
  const admin = can('admin');
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<string>();
  const [tested, setTested] = useState<DestinationTestResult>();
  const path = `/api/notification-destinations/${d.id}`;

  async function run(what: string, send: () => Promise<void>) {
    setBusy(what);
    setError(undefined);
    try {
      await send();
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(undefined);
    }
  }
  const toggle = () =>
    run('switch', async () => {
      await request(`${path}/enabled`, { method: 'POST', body: { enabled: d.status === 'disabled' } });
      onChange();
    });
  const test = () =>
    run('test', async () => {
      setTested(undefined);
      setTested(await request<DestinationTestResult>(`${path}/test`, { method: 'POST' }));
    });
  const remove = () =>
    run('delete', async () => {
      await request(path, { method: 'DELETE' });
      onChange();
    });

  const disabled = d.status === 'disabled';
  return (
    <section
      className={`panel destination ${disabled ? 'off' : ''}`}
      aria-label={d.name}
      data-testid="destination"
      data-id={d.id}
    >
      <div className="row spread">
        <h2>{d.name}</h2>
        <span className="row">
          <span className="muted">{KIND_LABELS[d.kind]}</span>
          <Badge value={d.status} />
        </span>
      </div>
      {disabled && (
        <p className="notice error" data-testid="disabled-reason">
          <strong>Off:</strong> {d.disabled_reason ?? 'turned off'}. Nothing is sent here until it is turned on again.
        </p>
      )}
      {secret && <SecretOnce secret={secret} onDone={() => onSecret(undefined)} />}
      {editing ? (
        <DestinationForm
          destination={d}
          onCancel={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            onChange();
          }}
        />
      ) : (
        <dl className="destination-facts">
          <dt>Sends to</dt>
          <dd className="target">{target(d)}</dd>
          <dt>Takes</dt>
          <dd data-testid="subscriptions">{subscriptionWords(d.subscriptions)}</dd>
          {d.consecutive_failures > 0 && (
            <>
              <dt>Failing</dt>
              <dd className="tone-bad" data-testid="failing">
                {d.consecutive_failures} attempt{d.consecutive_failures === 1 ? '' : 's'} in a row failed
                {d.failing_since ? `, since ${dateTime(d.failing_since)}` : ''}
              </dd>
            </>
          )}
        </dl>
      )}
      {tested && <TestAnswer result={tested} />}
      <div className="row">
        <a href={href('notifications', d.id)}>Delivery log</a>
        {admin && !editing && (
          <>
            <button type="button" onClick={() => setEditing(true)}>
              Edit
            </button>
            <button type="button" disabled={busy !== undefined} onClick={() => void toggle()}>
              {disabled ? 'Turn on' : 'Turn off'}
            </button>
            <button type="button" disabled={busy !== undefined} onClick={() => void test()}>
              {busy === 'test' && <Spinner label="Sending a test" />}
              Send a test
            </button>
            {d.kind === 'webhook' && <RollSecret destination={d} onRolled={onSecret} onError={setError} />}
            <ConfirmButton
              label="Delete"
              title={`Delete ${d.name}?`}
              className="danger"
              disabled={busy !== undefined}
              onConfirm={() => void remove()}
            >
              It stops receiving events, and its delivery log goes with it. This cannot be undone.
            </ConfirmButton>
          </>
        )}
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
