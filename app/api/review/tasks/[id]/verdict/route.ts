import { withAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { readJson, respond } from '@/lib/http/respond';
import { verdictInput } from '@/lib/review/schemas';
import { submitVerdict } from '@/lib/review/verdicts';

/** Approve, reject (with a reason) or revise (with an edited reply); idempotent on clientKey. */
export const POST = withAccess<{ id: string }>(async (request, user, { params }) =>
  respond(async () => {
    const input = await readJson(request, verdictInput);
    return submitVerdict(getDb(), user.id, (await params).id, input);
  }),
);
