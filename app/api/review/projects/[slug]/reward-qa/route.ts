import { withAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { readJson, respond } from '@/lib/http/respond';
import { findRewardDisagreements, rewardQaInput, startRewardScoring } from '@/lib/review/reward-qa';

/**
 * The project's rankings a reward model disagrees with most (`?runId=` picks the model, newest by
 * default; `?limit=`), from the rewards scored so far, with the state of the scoring.
 */
export const GET = withAccess<{ slug: string }>(async (request, user, { params }) =>
  respond(async () => findRewardDisagreements(getDb(), user, (await params).slug, Object.fromEntries(request.nextUrl.searchParams))),
);

/** POST { runId? } → 202 { scoring }: the worker scores the ranked candidates that have no reward yet. */
export const POST = withAccess<{ slug: string }>(async (request, user, { params }) =>
  respond(async () => ({ scoring: await startRewardScoring(getDb(), user, (await params).slug, await readJson(request, rewardQaInput.pick({ runId: true }))) }), 202),
);
