import NextAuth from 'next-auth';
import { NextResponse, type NextRequest } from 'next/server';
import { authOptions } from '@/lib/auth/options';
import { clientIp } from '@/lib/auth/request-ip';
import { isThrottled } from '@/lib/auth/throttle';
import { getDb } from '@/lib/db';

const handler = NextAuth(authOptions);

type Context = { params: Promise<{ nextauth: string[] }> };

export async function GET(request: NextRequest, context: Context) {
  return handler(request, context);
}

/**
 * Credential sign-ins pass the throttle first, so a locked-out email or address gets 429
 * without its password ever being checked. The body keeps next-auth's shape, so its client
 * reports `error=throttled`.
 */
export async function POST(request: NextRequest, context: Context) {
  if (request.nextUrl.pathname.endsWith('/callback/credentials')) {
    const form = await request.clone().formData().catch(() => null);
    const email = form?.get('email');
    if (typeof email === 'string' && (await isThrottled(getDb(), email, clientIp(request.headers)))) {
      return NextResponse.json(
        { url: new URL('/login?error=throttled', request.url).toString() },
        { status: 429, headers: { 'Retry-After': '900' } },
      );
    }
  }
  return handler(request, context);
}
