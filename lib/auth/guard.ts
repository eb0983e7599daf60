import { getServerSession } from 'next-auth';
import { redirect } from 'next/navigation';
import { NextResponse, type NextRequest } from 'next/server';
import { getDb } from '../db.ts';
import { authOptions } from './options.ts';
import { decideAccess, homePath, type Role } from './roles.ts';

export interface CurrentUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  locale: string | null;
}

/**
 * The signed-in user, re-read from the database on every request so that a deactivated
 * account, a changed role or a password reset (which ends older sessions) takes effect at
 * once, not when the session token expires.
 */
export async function getCurrentUser(): Promise<CurrentUser | null> {
  const session = await getServerSession(authOptions);
  const id = session?.user?.id;
  if (!id) return null;
  return getDb().user.findFirst({
    where: {
      id,
      active: true,
      OR: [{ sessionsNotBefore: null }, { sessionsNotBefore: { lte: new Date(session.user.signedInAt ?? 0) } }],
    },
    select: { id: true, email: true, name: true, role: true, locale: true },
  });
}

/**
 * For pages: returns the user allowed on `pathname`, or redirects: anonymous users to the
 * sign-in page, users without the role to their own home page.
 */
export async function requirePageAccess(pathname: string): Promise<CurrentUser> {
  const user = await getCurrentUser();
  const decision = decideAccess(pathname, user?.role);
  if (decision === 'unauthenticated' || !user) redirect(`/login?callbackUrl=${encodeURIComponent(pathname)}`);
  if (decision === 'forbidden') redirect(`${homePath(user.role)}?denied=1`);
  return user;
}

type RouteContext<P> = { params: Promise<P> };
type GuardedHandler<P> = (request: NextRequest, user: CurrentUser, context: RouteContext<P>) => Promise<Response>;

/** For route handlers: 401 for anonymous callers, 403 for callers without the role. */
export function withAccess<P = Record<string, never>>(handler: GuardedHandler<P>) {
  return async (request: NextRequest, context: RouteContext<P>): Promise<Response> => {
    const user = await getCurrentUser();
    const decision = decideAccess(request.nextUrl.pathname, user?.role);
    if (decision === 'unauthenticated' || !user) {
      return NextResponse.json({ error: 'unauthenticated' }, { status: 401 });
    }
    if (decision === 'forbidden') return NextResponse.json({ error: 'forbidden' }, { status: 403 });
    return handler(request, user, context);
  };
}
