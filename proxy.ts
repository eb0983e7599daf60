import { getToken } from 'next-auth/jwt';
import { NextResponse, type NextRequest } from 'next/server';
import { isPublicPath } from './lib/auth/roles.ts';
import { contentSecurityPolicy } from './lib/http/security-headers.ts';

/**
 * Runs before every page and route handler: turns anonymous requests away early and sets the
 * nonce-based CSP. Roles are decided by the page and route-handler guards (lib/auth/guard.ts),
 * which read the user from the database: the role in the session token can be stale (a
 * labeler promoted to admin must not have to sign in again).
 */
export async function proxy(request: NextRequest) {
  const nonce = btoa(crypto.randomUUID());
  const csp = contentSecurityPolicy(nonce, process.env.NODE_ENV !== 'production');
  const { pathname, search } = request.nextUrl;
  const isApi = pathname.startsWith('/api/');

  const token = await getToken({ req: request, secret: process.env.AUTH_SECRET });
  let response: NextResponse;
  if (!token && !isPublicPath(pathname)) {
    response = isApi
      ? NextResponse.json({ error: 'unauthenticated' }, { status: 401 })
      : NextResponse.redirect(new URL(`/login?callbackUrl=${encodeURIComponent(pathname + search)}`, request.url));
  } else {
    const requestHeaders = new Headers(request.headers);
    requestHeaders.set('x-nonce', nonce);
    requestHeaders.set('Content-Security-Policy', csp);
    response = NextResponse.next({ request: { headers: requestHeaders } });
  }
  response.headers.set('Content-Security-Policy', csp);
  return response;
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};
