// Who is signed in: the credentials this browser tab holds (a token or API key per tenant) and
// which one is in use. Kept in session storage: gone when the tab closes, never in a URL or log.
import type { Me } from '../../../src/contract/me.ts';
import { ROLES, type Role } from '../../../src/contract/role-vocabulary.ts';
import { request } from '../api/client.ts';

export interface SignedIn {
  credential: string;
  me: Me;
}

const KEY = 'nightshift.sessions';

interface Stored {
  current: string | null;
  sessions: SignedIn[];
}

function read(): Stored {
  try {
    const stored = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Stored | null;
    if (stored && Array.isArray(stored.sessions)) return stored;
  } catch {
    // A damaged entry is a signed-out tab.
  }
  return { current: null, sessions: [] };
}

function write(stored: Stored): void {
  sessionStorage.setItem(KEY, JSON.stringify(stored));
}

export function currentSession(): SignedIn | undefined {
  const stored = read();
  return stored.sessions.find((s) => s.me.tenant.id === stored.current);
}

export function allSessions(): SignedIn[] {
  return read().sessions;
}

/** Checks a credential with the server and makes it the one in use (one per tenant). */
export async function signIn(credential: string): Promise<SignedIn> {
  const me = await request<Me>('/api/me', {}, credential);
  const session = { credential, me };
  const stored = read();
  write({
    current: me.tenant.id,
    sessions: [...stored.sessions.filter((s) => s.me.tenant.id !== me.tenant.id), session],
  });
  return session;
}

export function switchTo(tenantId: string): void {
  const stored = read();
  if (stored.sessions.some((s) => s.me.tenant.id === tenantId)) write({ ...stored, current: tenantId });
}

export function signOut(): void {
  sessionStorage.removeItem(KEY);
}

/**
 * A sign-in link `/#token=…`: the token is taken out of the address at once (history.replaceState),
 * so it stays out of the history, bookmarks and screen shares; the fragment never reached the server.
 */
export function takeTokenFromAddress(): string | undefined {
  const match = /^#token=([^&]+)/.exec(window.location.hash);
  if (!match?.[1]) return undefined;
  history.replaceState(null, '', `${window.location.pathname}${window.location.search}#/overview`);
  return decodeURIComponent(match[1]);
}

/** Ranked as the server ranks them: the list runs from the fewest rights to the most (owner last). */
export const hasRole = (role: Role, needed: Role) => ROLES.indexOf(role) >= ROLES.indexOf(needed);
