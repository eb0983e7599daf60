import { z } from 'zod';
import { withAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { readJson, respond } from '@/lib/http/respond';
import { claimNext } from '@/lib/queue/claim';

const nextInput = z.object({ kind: z.enum(['DEMONSTRATION', 'RANKING']) });

/** The user's next task of a kind: the one they hold, or a newly claimed one. */
export const POST = withAccess<{ slug: string }>(async (request, user, { params }) =>
  respond(async () => {
    const { kind } = await readJson(request, nextInput);
    return claimNext(getDb(), user.id, (await params).slug, kind);
  }),
);
