// The dashboard's frame: sign-in until a credential works, then the header (tenant, role,
// switcher, sign-out), the tabs, and the page of the current route.
import { type ReactNode, useCallback, useEffect, useState } from 'react';
import type { TenantToken } from '../../src/contract/me.ts';
import { request, setCredentialSource, whenUnauthorized } from './api/client.ts';
import {
  allSessions,
  currentSession,
  hasRole,
  type SignedIn,
  signIn,
  signOut,
  switchTo,
  takeTokenFromAddress,
} from './auth/session.ts';
import { SessionProvider } from './auth/session-context.tsx';
import { SignIn } from './auth/sign-in.tsx';
import { Loading } from './components/status.tsx';
import { href, useRoute } from './lib/route.ts';
import { ActionsPage } from './pages/actions.tsx';
import { AdAccountsPage } from './pages/ad-accounts.tsx';
import { AgentsPage } from './pages/agents.tsx';
import { CampaignsPage } from './pages/campaigns.tsx';
import { ContactsPage } from './pages/contacts.tsx';
import { JobsPage } from './pages/jobs.tsx';
import { NotificationsPage } from './pages/notifications.tsx';
import { OpportunitiesPage } from './pages/opportunities.tsx';
import { OverviewPage } from './pages/overview.tsx';
import { RulesPage } from './pages/rules.tsx';
import { SendersPage } from './pages/senders.tsx';
import { SocialPage } from './pages/social.tsx';
import { SummariesPage } from './pages/summaries.tsx';

const TABS: { id: string; label: string; page: (rest: string[]) => ReactNode }[] = [
  { id: 'overview', label: 'Overview', page: () => <OverviewPage /> },
  // Keyed by the route: following a link to #/actions/failed from #/actions sets the filter afresh.
  { id: 'actions', label: 'Actions', page: (rest) => <ActionsPage key={rest.join('/')} /> },
  { id: 'opportunities', label: 'Opportunities', page: () => <OpportunitiesPage /> },
  { id: 'rules', label: 'Rules', page: () => <RulesPage /> },
  { id: 'campaigns', label: 'Campaigns', page: (rest) => <CampaignsPage campaignId={rest[0]} /> },
  { id: 'contacts', label: 'Contacts', page: (rest) => <ContactsPage rest={rest} /> },
  { id: 'ad-accounts', label: 'Ad accounts', page: (rest) => <AdAccountsPage rest={rest} /> },
  { id: 'senders', label: 'Senders', page: () => <SendersPage /> },
  { id: 'notifications', label: 'Notifications', page: (rest) => <NotificationsPage rest={rest} /> },
  { id: 'social', label: 'Schedules & posts', page: (rest) => <SocialPage rest={rest} /> },
  { id: 'jobs', label: 'Jobs', page: () => <JobsPage /> },
  { id: 'agents', label: 'Agents', page: () => <AgentsPage /> },
  { id: 'summaries', label: 'Weekly summaries', page: () => <SummariesPage /> },
];

export function App() {
  const [session, setSession] = useState<SignedIn | undefined>(() => currentSession());
  const [starting, setStarting] = useState(true);
  const [problem, setProblem] = useState<string>();

  const use = useCallback((next: SignedIn | undefined) => {
    setCredentialSource(() => next?.credential);
    setSession(next);
  }, []);

  useEffect(() => {
    whenUnauthorized(() => {
      signOut();
      use(undefined);
      setProblem('Your sign-in has expired or was revoked. Sign in again.');
    });
    const fromLink = takeTokenFromAddress();
    const started = fromLink ? signIn(fromLink) : Promise.resolve(currentSession());
    started
      .then(
        (s) => use(s),
        (error: Error) =>
          setProblem(
            `This sign-in link is invalid or has expired (${error.message}). Run \`nightshift token --link\` for a new one, or paste a token below.`,
          ),
      )
      .finally(() => setStarting(false));
  }, [use]);

  if (starting) return <Loading what="Nightshift" />;
  if (!session) return <SignIn problem={problem} onSignIn={async (credential) => use(await signIn(credential))} />;
  return (
    <SessionProvider me={session.me}>
      <Shell
        session={session}
        onSwitch={use}
        onSignOut={() => {
          signOut();
          use(undefined);
        }}
      />
    </SessionProvider>
  );
}

function Shell({
  session,
  onSwitch,
  onSignOut,
}: {
  session: SignedIn;
  onSwitch: (session: SignedIn) => void;
  onSignOut: () => void;
}) {
  const route = useRoute();
  const tab = TABS.find((t) => t.id === route.tab) ?? TABS[0]!;
  return (
    <div className="shell">
      <header className="topbar">
        <a className="brand" href={href('overview')}>
          Nightshift <span className="brand-sub">Autonomous Ops</span>
        </a>
        <TenantSwitcher session={session} onSwitch={onSwitch} />
        <span className="role" title="Your role in this tenant">
          {session.me.role}
        </span>
        <button type="button" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <nav className="tabs" aria-label="Sections">
        {TABS.map((t) => (
          <a key={t.id} href={href(t.id)} aria-current={t.id === tab.id ? 'page' : undefined}>
            {t.label}
          </a>
        ))}
      </nav>
      <main className="page" key={`${session.me.tenant.id}/${tab.id}`}>
        {tab.page(route.rest)}
      </main>
    </div>
  );
}

/**
 * Tenants this tab holds a credential for, and for admins the other tenants they administer or own
 * (a token for one is minted on the spot by POST /api/me/token).
 */
function TenantSwitcher({ session, onSwitch }: { session: SignedIn; onSwitch: (session: SignedIn) => void }) {
  const [error, setError] = useState<string>();
  const held = allSessions();
  const options = new Map(held.map((s) => [s.me.tenant.id, s.me.tenant.name]));
  // The API mints a tenant switch only for an admin (or owner) token, into a tenant the person
  // administers or owns, and never above the token's own role.
  if (hasRole(session.me.role, 'admin'))
    for (const m of session.me.memberships)
      if (hasRole(m.role, 'admin') && !options.has(m.tenant_id)) options.set(m.tenant_id, m.name);
  if (options.size <= 1) return <span className="tenant">{session.me.tenant.name}</span>;

  async function choose(tenantId: string) {
    setError(undefined);
    try {
      const existing = held.find((s) => s.me.tenant.id === tenantId);
      if (existing) {
        switchTo(tenantId);
        onSwitch(existing);
        return;
      }
      const minted = await request<TenantToken>('/api/me/token', {
        method: 'POST',
        body: { tenant_id: tenantId },
      });
      onSwitch(await signIn(minted.token));
    } catch (failure) {
      setError((failure as Error).message);
    }
  }

  return (
    <label className="tenant">
      <span className="visually-hidden">Tenant</span>
      <select value={session.me.tenant.id} onChange={(e) => void choose(e.target.value)}>
        {[...options].map(([id, name]) => (
          <option key={id} value={id}>
            {name}
          </option>
        ))}
      </select>
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </label>
  );
}
