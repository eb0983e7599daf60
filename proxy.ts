import { getToken } from 'next-auth/jwt';
import { NextResponse, type NextRequest } from 'next/server';
import { decideAccess, homePath } from './lib/auth/roles.ts';
import { contentSecurityPolicy } from './lib/http/security-headers.ts';

/**
 * Runs before every page and route handler: refuses anonymous and wrong-role requests early
 * (pages and handlers check again against the database), and sets the nonce-based CSP.
 */
export async function proxy(request: NextRequest) {
  const nonce = btoa(crypto.randomUUID());
  const csp = contentSecurityPolicy(nonce, process.env.NODE_ENV !== 'production');
  const { pathname, search } = request.nextUrl;
  const isApi = pathname.startsWith('/api/');

  const token = await getToken({ req: request, secret: process.env.AUTH_SECRET });
  const decision = decideAccess(pathname, token?.role);

  let response: NextResponse;
  if (decision === 'unauthenticated') {
    response = isApi
      ? NextResponse.json({ error: 'unauthenticated' }, { status: 401 })
      : NextResponse.redirect(new URL(`/login?callbackUrl=${encodeURIComponent(pathname + search)}`, request.url));
  } else if (decision === 'forbidden' && token) {
    response = isApi
      ? NextResponse.json({ error: 'forbidden' }, { status: 403 })
      : NextResponse.redirect(new URL(`${homePath(token.role)}?denied=1`, request.url));
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
