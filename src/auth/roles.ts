// Who may do what: viewers read; members also approve or dismiss suggestions; admins (and owners)
// also manage rules, run cycles and roll actions back.
import { ROLES, type Role } from '../contract/role-vocabulary.ts';

/** True when `role` carries at least the rights of `needed`. */
export function hasRole(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

/** The lesser of two roles: what a grant capped by another grant leaves. */
export function lowerRole(a: Role, b: Role): Role {
  return hasRole(a, b) ? b : a;
}
