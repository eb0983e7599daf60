import { withAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { readJson, respond } from '@/lib/http/respond';
import { invalidateInput } from '@/lib/review/schemas';
import { invalidateRanking } from '@/lib/review/rankings';

/** Marks a ranking invalid, with the reason the labeler will see. */
export const POST = withAccess<{ id: string }>(async (request, user, { params }) =>
  respond(async () => {
    const { reason } = await readJson(request, invalidateInput);
    return invalidateRanking(getDb(), user.id, (await params).id, reason);
  }),
);
