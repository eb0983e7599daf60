import { withAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { respond } from '@/lib/http/respond';
import { itemRankings } from '@/lib/review/rankings';

/** Every labeler's ranking of an item, side by side. */
export const GET = withAccess<{ id: string }>(async (_request, user, { params }) =>
  respond(async () => itemRankings(getDb(), user.id, (await params).id)),
);
