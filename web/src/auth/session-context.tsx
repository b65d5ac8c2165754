// The signed-in session for every component: the tenant, the role and what it allows, the
// currency numbers are shown in, and switching tenant.
import { createContext, type ReactNode, useContext } from 'react';
import type { Me } from '../../../src/contract/me.ts';
import type { Role } from '../../../src/contract/role-vocabulary.ts';
import { hasRole } from './session.ts';

export interface SessionValue {
  me: Me;
  currency: string;
  /** Whether the signed-in role may do what needs `role` (the API checks again). */
  can: (role: Role) => boolean;
}

const SessionContext = createContext<SessionValue | undefined>(undefined);

export function SessionProvider({ me, children }: { me: Me; children: ReactNode }) {
  const value: SessionValue = { me, currency: me.tenant.currency, can: (role) => hasRole(me.role, role) };
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside a signed-in page');
  return value;
}
