import { withAccess } from '@/lib/auth/guard';
import { clientIp } from '@/lib/auth/request-ip';
import { getDb } from '@/lib/db';
import { readJson, respond } from '@/lib/http/respond';
import { createInvite } from '@/lib/people/invites';
import { createInviteInput } from '@/lib/people/schemas';

/** A single-use invite link; the answer holds the only copy of its token (in `path`). */
export const POST = withAccess(async (request, user) =>
  respond(async () => {
    const input = await readJson(request, createInviteInput);
    return createInvite(getDb(), { id: user.id, ip: clientIp(request.headers) }, input);
  }, 201),
);
