// Who did something by hand, in words a ledger row can carry: a person's name or e-mail, or an API
// key's name. Reads the users and api_keys tables in the tenant's scope.
import type { SqlSession } from '../port.ts';
import { rows, typed } from '../typed.ts';
import { actingUser } from './actions.ts';

export interface Actor {
  userId: string | null;
  apiKeyId?: string;
}

export interface NamedActor {
  /** The user to record as deciding (a users row), or null (an API key, or a person the database does not know). */
  userId: string | null;
  /** "Ada Lovelace <ada@example.com>", "API key “ci”", or "someone" when the database knows neither. */
  words: string;
}

export async function nameActor(s: SqlSession, tenantId: string, actor: Actor): Promise<NamedActor> {
  const userId = (await actingUser(s, actor.userId)) ?? null;
  if (userId) {
    const [user] = await rows(s, typed.selectFrom('users').select(['email', 'display_name']).where('id', '=', userId));
    if (user) return { userId, words: user.display_name ? `${user.display_name} <${user.email}>` : user.email };
  }
  if (actor.apiKeyId) {
    const [key] = await rows(
      s,
      typed.selectFrom('api_keys').select('name').where('tenant_id', '=', tenantId).where('id', '=', actor.apiKeyId),
    );
    if (key) return { userId, words: `API key “${key.name}”` };
  }
  return { userId, words: 'someone' };
}
