import { withAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { respond } from '@/lib/http/respond';
import { findRewardDisagreements } from '@/lib/review/reward-qa';

/**
 * The project's rankings a reward model disagrees with most (`?runId=` picks the model, newest by
 * default; `?limit=`). Scoring takes seconds; a reviewer who leaves cancels it.
 */
export const GET = withAccess<{ slug: string }>(async (request, user, { params }) =>
  respond(async () =>
    findRewardDisagreements(getDb(), user, (await params).slug, Object.fromEntries(request.nextUrl.searchParams), { signal: request.signal }),
  ),
);
