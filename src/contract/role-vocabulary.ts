// The roles a member or an API key holds in a tenant, from the fewest rights to the most: a plain
// list (no zod), so the dashboard ranks roles in the server's order (src/auth/roles.ts).
export const ROLES = ['viewer', 'member', 'admin', 'owner'] as const;

export type Role = (typeof ROLES)[number];
