import type { Role } from '../generated/prisma/enums.ts';

export type { Role };
export const ROLES = ['ADMIN', 'REVIEWER', 'LABELER'] as const satisfies readonly Role[];

/** Where each role lands after signing in. */
export function homePath(role: Role): string {
  switch (role) {
    case 'ADMIN':
      return '/admin';
    case 'REVIEWER':
      return '/review';
    case 'LABELER':
      return '/label';
  }
}

/** Paths anyone may reach without signing in (an invite or reset link: the page and its API). */
const PUBLIC_PATHS = [
  /^\/login$/,
  /^\/api\/auth(\/|$)/,
  /^\/api\/health$/,
  /^\/api\/locale$/,
  /^\/(api\/)?invite\/[A-Za-z0-9_-]+$/,
  // Pipelines call these with an API token, not a session; the handlers check the token.
  /^\/api\/export\/[a-z0-9-]+$/,
  /^\/v1\/(chat\/completions|models)$/,
];

/**
 * The one access table: the first prefix that matches a path decides which roles may use it.
 * Pages and route handlers under a prefix share its rule.
 */
const ACCESS_RULES: { prefix: RegExp; roles: readonly Role[] }[] = [
  { prefix: /^\/(api\/)?admin(\/|$)/, roles: ['ADMIN'] },
  { prefix: /^\/(api\/)?review(\/|$)/, roles: ['ADMIN', 'REVIEWER'] },
  { prefix: /^\/(api\/)?label(\/|$)/, roles: ['ADMIN', 'REVIEWER', 'LABELER'] },
];

export function isPublicPath(pathname: string): boolean {
  return PUBLIC_PATHS.some((pattern) => pattern.test(pathname));
}

/** Roles allowed on a path; `null` for public paths, every role for other signed-in paths. */
export function rolesFor(pathname: string): readonly Role[] | null {
  if (isPublicPath(pathname)) return null;
  return ACCESS_RULES.find((rule) => rule.prefix.test(pathname))?.roles ?? ROLES;
}

export type AccessDecision = 'allow' | 'unauthenticated' | 'forbidden';

export function decideAccess(pathname: string, role: Role | null | undefined): AccessDecision {
  const roles = rolesFor(pathname);
  if (roles === null) return 'allow';
  if (!role) return 'unauthenticated';
  return roles.includes(role) ? 'allow' : 'forbidden';
}
