import { withAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { respond } from '@/lib/http/respond';
import { stopRewardScoring } from '@/lib/review/reward-qa';

/** POST → { scoring }: stops a scoring; the rewards stored so far stay. */
export const POST = withAccess<{ slug: string; id: string }>(async (_request, user, { params }) =>
  respond(async () => {
    const { slug, id } = await params;
    return { scoring: await stopRewardScoring(getDb(), user, slug, id) };
  }),
);
