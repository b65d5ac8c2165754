import { findMembership } from '../auth/members.ts';
import { ROLES } from '../auth/roles.ts';
import { mintToken, type Role } from '../auth/tokens.ts';
import { resolveSecrets } from '../secrets.ts';
import { localUrl, signInLink } from '../server/sign-in-link.ts';
import { commandConfig, withDatabase } from './context.ts';
import { UsageError } from './errors.ts';

export async function tokenCommand(options: {
  tenant?: string;
  role: string;
  user: string;
  expires: string;
  link?: boolean;
  url?: string;
}) {
  if (!ROLES.includes(options.role as Role))
    throw new UsageError(`--role expects one of ${ROLES.toReversed().join(', ')}`);
  if (!/^\d+[smhdw]$/.test(options.expires)) throw new UsageError('--expires expects a duration like 12h or 30d');
  const { config } = commandConfig();
  const secret = resolveSecrets(config).jwtSecret;
  if (!secret) throw new UsageError('tokens can only be minted with NIGHTSHIFT_JWT_SECRET (this instance uses JWKS)');
  const token = await withDatabase(config, async (db) => {
    const member = await findMembership(db, options.user, options.tenant);
    if (!member)
      throw new UsageError(
        options.tenant === undefined
          ? `no member ${options.user} in any tenant`
          : `no member ${options.user} in a tenant with slug ${JSON.stringify(options.tenant)}`,
      );
    return mintToken(secret, { ...member, role: options.role as Role }, options.expires);
  });
  process.stdout.write(`${options.link ? signInLink(options.url ?? localUrl(config), token) : token}\n`);
}
