// #/ad-accounts: the tenant's ad accounts on Meta and Google Ads, how each stands (status, the
// platform's last error, when it was last tested, how far its stats sync has got), and for admins:
// connecting one by consent (OAuth: the browser goes to the platform and comes back to
// #/ad-accounts/connected/{id} or #/ad-accounts/failed/{reason}), or with typed-in credentials;
// testing a connection; importing its campaigns.
import { type FormEvent, useState } from 'react';
import type { ConsentStart } from '../../../src/contract/ad-account-oauth.ts';
import type { AdAccountRecord, CampaignImport, ConnectionTest } from '../../../src/contract/ad-accounts.ts';
import { request } from '../api/client.ts';
import { useApi } from '../api/use-api.ts';
import { usePolling } from '../api/use-polling.ts';
import { useSession } from '../auth/session-context.tsx';
import { Badge } from '../components/badge.tsx';
import { ConsentOutcome } from '../components/consent-outcome.tsx';
import { Async, Empty } from '../components/status.tsx';
import { dateTime } from '../lib/format.ts';
import { backfilling, SyncState } from './ad-accounts-sync.tsx';
import './ad-accounts.css';
import './campaigns.css';

type Platform = AdAccountRecord['platform'];
type AdAccountList = { data: AdAccountRecord[] };
const PLATFORM_LABEL: Record<Platform, string> = { meta: 'Meta', google_ads: 'Google Ads' };

export function AdAccountsPage({ rest }: { rest: string[] }) {
  const { can } = useSession();
  const loaded = useApi<AdAccountList>('/api/ad-accounts');
  usePolling(loaded.reload, loaded.data?.data.some(backfilling) ?? false);
  return (
    <>
      <h1>Ad accounts</h1>
      <ConsentOutcome
        rest={rest}
        tab="ad-accounts"
        connected="The account is connected."
        failed="The account was not connected."
      />
      {can('admin') && <Connect onConnected={loaded.reload} />}
      <Async loaded={loaded} what="ad accounts">
        {({ data }) =>
          data.length === 0 ? (
            <Empty>No ad account is connected yet.</Empty>
          ) : (
            <div className="table-wrap">
              <table aria-label="Ad accounts">
                <thead>
                  <tr>
                    <th>Platform</th>
                    <th>Account</th>
                    <th>Currency</th>
                    <th>Status</th>
                    <th>Stats</th>
                    <th>Last tested</th>
                    {can('admin') && (
                      <th>
                        <span className="visually-hidden">Actions</span>
                      </th>
                    )}
                  </tr>
                </thead>
                <tbody>
                  {data.map((account) => (
                    <AccountRow key={account.id} account={account} admin={can('admin')} onChange={loaded.reload} />
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Async>
    </>
  );
}

function AccountRow({ account, admin, onChange }: { account: AdAccountRecord; admin: boolean; onChange: () => void }) {
  const [busy, setBusy] = useState<'test' | 'import'>();
  const [result, setResult] = useState<{ ok: boolean; text: string }>();
  async function run(what: 'test' | 'import') {
    setBusy(what);
    setResult(undefined);
    try {
      if (what === 'test') {
        const tested = await request<ConnectionTest>(`/api/ad-accounts/${account.id}/test`, { method: 'POST' });
        setResult(
          tested.ok
            ? { ok: true, text: `Connected: ${tested.account.name} (${tested.account.currency})` }
            : { ok: false, text: tested.error ?? 'The platform refused.' },
        );
      } else {
        const imported = await request<CampaignImport>(`/api/ad-accounts/${account.id}/import`, {
          method: 'POST',
          body: {},
        });
        setResult({
          ok: true,
          text: `Imported: ${imported.created_campaign_ids.length} new campaigns (autopilot off), ${imported.refreshed} refreshed (${imported.moved_on_platform} moved on the platform), ${imported.skipped_archived} archived skipped.`,
        });
      }
      onChange();
    } catch (error) {
      setResult({ ok: false, text: (error as Error).message });
    } finally {
      setBusy(undefined);
    }
  }
  return (
    <tr data-testid="ad-account-row" data-id={account.id}>
      <td>{PLATFORM_LABEL[account.platform]}</td>
      <td>
        <strong>{account.name}</strong>
        <div className="muted small">
          {account.platform === 'meta' ? `act_${account.external_account_id}` : account.external_account_id}
          {account.time_zone ? ` · ${account.time_zone}` : ''}
        </div>
      </td>
      <td>{account.currency}</td>
      <td>
        <Badge value={account.status} />
        {account.status_reason && <div className="field-error">{account.status_reason}</div>}
      </td>
      <td>
        <SyncState account={account} />
      </td>
      <td className="nowrap">{dateTime(account.last_tested_at)}</td>
      {admin && (
        <td>
          <div className="row">
            <button type="button" disabled={busy !== undefined} onClick={() => void run('test')}>
              {busy === 'test' ? 'Testing…' : 'Test connection'}
            </button>{' '}
            <button
              type="button"
              disabled={busy !== undefined || account.status === 'disconnected'}
              onClick={() => void run('import')}
            >
              {busy === 'import' ? 'Importing…' : 'Import campaigns'}
            </button>
          </div>
          {result && (
            <div className={`ad-account-result ${result.ok ? '' : 'field-error'}`} role="status">
              {result.text}
            </div>
          )}
        </td>
      )}
    </tr>
  );
}

/** Connecting: by consent (the platform's page), or with credentials typed in. */
function Connect({ onConnected }: { onConnected: () => void }) {
  return (
    <section className="ad-connect" aria-label="Connect an ad account">
      <ConsentForm />
      <CredentialsForm onConnected={onConnected} />
    </section>
  );
}

function ConsentForm() {
  const [platform, setPlatform] = useState<Platform>('meta');
  const [accountId, setAccountId] = useState('');
  const [loginCustomer, setLoginCustomer] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function start(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    setBusy(true);
    try {
      const body =
        platform === 'meta'
          ? { ad_account_id: accountId }
          : { customer_id: accountId, ...(loginCustomer ? { login_customer_id: loginCustomer } : {}) };
      const started = await request<ConsentStart>(`/api/ad-accounts/oauth/${platform}/start`, {
        method: 'POST',
        body,
      });
      window.location.assign(started.authorization_url);
    } catch (failure) {
      setError((failure as Error).message);
      setBusy(false);
    }
  }

  return (
    <form className="panel" aria-label="Connect by signing in" onSubmit={(e) => void start(e)}>
      <h3>Connect by signing in</h3>
      <p className="muted small">
        You are sent to {PLATFORM_LABEL[platform]} to allow Nightshift to read and manage the account, then back here.
      </p>
      <label>
        Platform
        <select value={platform} onChange={(e) => setPlatform(e.target.value as Platform)}>
          <option value="meta">Meta</option>
          <option value="google_ads">Google Ads</option>
        </select>
      </label>
      <label>
        {platform === 'meta' ? 'Ad account id' : 'Customer id'}
        <input
          type="text"
          required
          value={accountId}
          placeholder={platform === 'meta' ? 'act_1234567890' : '123-456-7890'}
          onChange={(e) => setAccountId(e.target.value)}
        />
      </label>
      {platform === 'google_ads' && (
        <label>
          Manager account id (optional)
          <input type="text" value={loginCustomer} onChange={(e) => setLoginCustomer(e.target.value)} />
        </label>
      )}
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Redirecting…' : `Connect with ${PLATFORM_LABEL[platform]}`}
        </button>
      </div>
      {error && (
        <div className="field-error" role="alert">
          {error}
        </div>
      )}
    </form>
  );
}

const META_FIELDS = [
  ['ad_account_id', 'Ad account id', false],
  ['access_token', 'Access token', true],
] as const;
const GOOGLE_FIELDS = [
  ['customer_id', 'Customer id', false],
  ['login_customer_id', 'Manager account id (optional)', false],
  ['refresh_token', 'Refresh token', true],
  ['client_id', 'OAuth client id', false],
  ['client_secret', 'OAuth client secret', true],
  ['developer_token', 'Developer token', true],
] as const;

function CredentialsForm({ onConnected }: { onConnected: () => void }) {
  const [platform, setPlatform] = useState<Platform>('meta');
  const [values, setValues] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const fields = platform === 'meta' ? META_FIELDS : GOOGLE_FIELDS;

  async function connect(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    setBusy(true);
    try {
      const credentials = Object.fromEntries(
        fields.map(([name]) => [name, values[name]?.trim() ?? '']).filter(([, value]) => value !== ''),
      );
      await request<AdAccountRecord>('/api/ad-accounts', { method: 'POST', body: { platform, credentials } });
      setValues({});
      onConnected();
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="panel" aria-label="Connect with credentials" onSubmit={(e) => void connect(e)}>
      <h3>Connect with credentials</h3>
      <p className="muted small">A system user’s token, or a refresh token you already hold. Stored encrypted.</p>
      <label>
        Platform
        <select
          value={platform}
          onChange={(e) => {
            setPlatform(e.target.value as Platform);
            setValues({});
          }}
        >
          <option value="meta">Meta</option>
          <option value="google_ads">Google Ads</option>
        </select>
      </label>
      {fields.map(([name, label, secret]) => (
        <label key={name}>
          {label}
          <input
            type={secret ? 'password' : 'text'}
            autoComplete="off"
            value={values[name] ?? ''}
            onChange={(e) => setValues({ ...values, [name]: e.target.value })}
          />
        </label>
      ))}
      <div className="row">
        <button type="submit" disabled={busy}>
          {busy ? 'Connecting…' : 'Connect'}
        </button>
      </div>
      {error && (
        <div className="field-error" role="alert">
          {error}
        </div>
      )}
    </form>
  );
}
