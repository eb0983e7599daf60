import { withAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { rankingInput } from '@/lib/annotation/schemas';
import { submitRanking } from '@/lib/annotation/submit';
import { readJson, respond } from '@/lib/http/respond';

export const POST = withAccess<{ id: string }>(async (request, user, { params }) =>
  respond(async () => {
    const input = await readJson(request, rankingInput);
    return submitRanking(getDb(), user.id, (await params).id, input);
  }),
);
