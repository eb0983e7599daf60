import { withAccess } from '@/lib/auth/guard';
import { clientIp } from '@/lib/auth/request-ip';
import { getDb } from '@/lib/db';
import { respond } from '@/lib/http/respond';
import { createPasswordReset } from '@/lib/people/invites';

/** A single-use reset link for this person; the answer holds the only copy of its token (in `path`). */
export const POST = withAccess<{ id: string }>(async (request, user, { params }) =>
  respond(async () => createPasswordReset(getDb(), { id: user.id, ip: clientIp(request.headers) }, (await params).id), 201),
);
