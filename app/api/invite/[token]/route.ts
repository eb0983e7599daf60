import type { NextRequest } from 'next/server';
import { clientIp } from '@/lib/auth/request-ip';
import { getDb } from '@/lib/db';
import { readJson, respond } from '@/lib/http/respond';
import { acceptLink, describeLink } from '@/lib/people/invites';
import { acceptLinkInput } from '@/lib/people/schemas';

// Public (see PUBLIC_PATHS in lib/auth/roles.ts): whoever holds the link is who it is for.
// Not wrapped in withAccess, which answers 401 to anyone not signed in.
type Context = { params: Promise<{ token: string }> };

/** Whether the link works, and for which email and role. */
export async function GET(_request: NextRequest, { params }: Context) {
  return respond(async () => describeLink(getDb(), (await params).token));
}

/** Redeems the link: `{name, password}` for an invite, `{password}` for a password reset. */
export async function POST(request: NextRequest, { params }: Context) {
  return respond(async () => {
    const input = await readJson(request, acceptLinkInput);
    return acceptLink(getDb(), (await params).token, input, clientIp(request.headers));
  });
}
