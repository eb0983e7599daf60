import { withAccess } from '@/lib/auth/guard';
import { revokeApiToken } from '@/lib/auth/api-tokens';
import { getDb } from '@/lib/db';
import { respond } from '@/lib/http/respond';

/** Revokes a token; its next use is refused. */
export const DELETE = withAccess<{ id: string }>(async (_request, user, { params }) =>
  respond(async () => revokeApiToken(getDb(), user.id, (await params).id)),
);
