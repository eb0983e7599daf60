import { withAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { respond } from '@/lib/http/respond';
import { claimReview } from '@/lib/review/queue';

/** The reviewer's next demonstration to check: the one they hold, or a newly claimed one. */
export const POST = withAccess<{ slug: string }>(async (_request, user, { params }) =>
  respond(async () => claimReview(getDb(), user.id, (await params).slug)),
);
