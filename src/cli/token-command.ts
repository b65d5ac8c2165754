// `nightshift token`: a bearer token (or a dashboard sign-in link) for a tenant member, on
// stdout alone so scripts can capture it; who it is for and when it expires go to stderr. A
// token never carries more than the member's role: the server would cap it anyway, and a token
// that claims more than it can do misleads whoever holds it.
import { findMembership } from '../auth/members.ts';
import { hasRole } from '../auth/roles.ts';
import { expiryOf, mintToken, type Role } from '../auth/tokens.ts';
import { ROLES } from '../contract/role-vocabulary.ts';
import { resolveSecrets } from '../secrets.ts';
import { localUrl, signInLink } from '../server/sign-in-link.ts';
import { commandConfig, runningServerUrl, withDatabase } from './context.ts';
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
  const role = options.role as Role;
  if (!/^\d+[smhdw]$/.test(options.expires)) throw new UsageError('--expires expects a duration like 12h or 30d');
  const { config } = commandConfig();
  const secret = resolveSecrets(config).jwtSecret;
  if (!secret) throw new UsageError('tokens can only be minted with NIGHTSHIFT_JWT_SECRET (this instance uses JWKS)');
  const { token, member } = await withDatabase(config, async (db) => {
    const found = await findMembership(db, options.user, options.tenant);
    if (!found)
      throw new UsageError(
        options.tenant === undefined
          ? `no member ${options.user} in any tenant`
          : `no member ${options.user} in a tenant with slug ${JSON.stringify(options.tenant)}`,
      );
    if (!hasRole(found.role, role))
      throw new UsageError(`${options.user} is ${found.role} of tenant ${found.slug}: --role cannot be ${role}`);
    return { token: await mintToken(secret, { ...found, role }, options.expires), member: found };
  });
  // A server on the embedded data knows its own address (its PORT may not be this shell's).
  const base = async () => options.url ?? (await runningServerUrl(config)) ?? localUrl(config);
  process.stdout.write(`${options.link ? signInLink(await base(), token) : token}\n`);
  process.stderr.write(
    `${role} token for ${options.user} in tenant ${member.slug}, expires ${expiryOf(token).toISOString()}\n`,
  );
}
