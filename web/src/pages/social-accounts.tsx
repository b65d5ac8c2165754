// The Social accounts section of #/social: the Facebook Pages, Instagram business accounts and X
// accounts the post rules post with, how each stands (connected, or needs reconnect in the
// platform's words), and for admins: connecting by consent (the browser goes to Facebook or X and
// comes back to #/social/connected/{count} or #/social/failed/{reason}), reconnecting (the same
// consent again) and disconnecting.
import { useState } from 'react';
import type { ConsentStart } from '../../../src/contract/ad-account-oauth.ts';
import type { SocialAccountRecord, SocialProvider } from '../../../src/contract/social-accounts.ts';
import { request } from '../api/client.ts';
import { useApi } from '../api/use-api.ts';
import { useSession } from '../auth/session-context.tsx';
import { Badge } from '../components/badge.tsx';
import { ConsentOutcome } from '../components/consent-outcome.tsx';
import { Async, Empty } from '../components/status.tsx';
import { dateTime } from '../lib/format.ts';

type SocialAccountList = { data: SocialAccountRecord[]; providers: SocialProvider[] };

const PLATFORM_LABEL: Record<SocialAccountRecord['platform'], string> = {
  facebook: 'Facebook Page',
  instagram: 'Instagram',
  twitter: 'X',
};
const PROVIDER_LABEL: Record<SocialProvider, string> = { facebook: 'Facebook & Instagram', x: 'X' };
const PROVIDERS: SocialProvider[] = ['facebook', 'x'];

export function SocialAccounts({ rest }: { rest: string[] }) {
  const { can } = useSession();
  const loaded = useApi<SocialAccountList>('/api/social-accounts');
  const [starting, setStarting] = useState<SocialProvider>();
  const [error, setError] = useState<string>();
  const detail = rest[1];

  async function connect(provider: SocialProvider) {
    setError(undefined);
    setStarting(provider);
    try {
      const started = await request<ConsentStart>(`/api/social-accounts/oauth/${provider}/start`, { method: 'POST' });
      window.location.assign(started.authorization_url);
    } catch (failure) {
      setError((failure as Error).message);
      setStarting(undefined);
    }
  }

  return (
    <section aria-labelledby="social-accounts-title">
      <h2 id="social-accounts-title">Social accounts</h2>
      <ConsentOutcome
        rest={rest}
        tab="social"
        connected={detail === '1' ? 'The account is connected.' : `${detail ?? 'The'} accounts are connected.`}
        failed="Nothing was connected."
      />
      <Async loaded={loaded} what="social accounts">
        {({ data, providers }) => (
          <>
            {can('admin') && (
              <div className="social-connect">
                {PROVIDERS.map((provider) => (
                  <button
                    key={provider}
                    type="button"
                    className="primary"
                    disabled={starting !== undefined || !providers.includes(provider)}
                    onClick={() => void connect(provider)}
                  >
                    {starting === provider ? 'Redirecting…' : `Connect ${PROVIDER_LABEL[provider]}`}
                  </button>
                ))}
                {PROVIDERS.some((provider) => !providers.includes(provider)) && (
                  <p className="muted small">
                    A greyed-out button needs the install’s app for it (NIGHTSHIFT_META_APP_ID…,
                    NIGHTSHIFT_X_CLIENT_ID…: see docs/ad-platforms.md).
                  </p>
                )}
              </div>
            )}
            {error && (
              <div className="field-error" role="alert">
                {error}
              </div>
            )}
            {data.length === 0 ? (
              <Empty>
                No social account is connected yet: post rules queue posts only to connected platforms.
                {can('admin') ? '' : ' An admin can connect one.'}
              </Empty>
            ) : (
              <div className="table-wrap">
                <table aria-label="Social accounts">
                  <thead>
                    <tr>
                      <th>Platform</th>
                      <th>Account</th>
                      <th>Status</th>
                      <th>Connected</th>
                      {can('admin') && (
                        <th>
                          <span className="visually-hidden">Actions</span>
                        </th>
                      )}
                    </tr>
                  </thead>
                  <tbody>
                    {data.map((account) => (
                      <AccountRow
                        key={account.id}
                        account={account}
                        admin={can('admin')}
                        canReconnect={providers.includes(account.provider) && starting === undefined}
                        onReconnect={() => void connect(account.provider)}
                        onChange={loaded.reload}
                      />
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </>
        )}
      </Async>
    </section>
  );
}

function AccountRow(props: {
  account: SocialAccountRecord;
  admin: boolean;
  canReconnect: boolean;
  onReconnect: () => void;
  onChange: () => void;
}) {
  const { account } = props;
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  async function disconnect() {
    setBusy(true);
    setError(undefined);
    try {
      await request(`/api/social-accounts/${account.id}`, { method: 'DELETE' });
      props.onChange();
    } catch (failure) {
      setError((failure as Error).message);
      setBusy(false);
    }
  }

  return (
    <tr data-testid="social-account-row" data-id={account.id}>
      <td>{PLATFORM_LABEL[account.platform]}</td>
      <td>
        <strong>{account.name}</strong>
        <div className="muted small">{account.external_account_id}</div>
      </td>
      <td>
        <Badge value={account.status} />
        {account.status_reason && <div className="field-error">{account.status_reason}</div>}
      </td>
      <td className="nowrap">{dateTime(account.connected_at)}</td>
      {props.admin && (
        <td>
          <div className="row">
            <button type="button" disabled={!props.canReconnect} onClick={props.onReconnect}>
              Reconnect
            </button>{' '}
            {confirming ? (
              <>
                <button type="button" className="danger" disabled={busy} onClick={() => void disconnect()}>
                  {busy ? 'Disconnecting…' : `Disconnect ${account.name}`}
                </button>{' '}
                <button type="button" disabled={busy} onClick={() => setConfirming(false)}>
                  Keep
                </button>
              </>
            ) : (
              <button type="button" onClick={() => setConfirming(true)}>
                Disconnect
              </button>
            )}
          </div>
          {error && (
            <div className="field-error" role="alert">
              {error}
            </div>
          )}
        </td>
      )}
    </tr>
  );
}
