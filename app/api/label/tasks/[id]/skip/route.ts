import { withAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { skipInput } from '@/lib/annotation/schemas';
import { readJson, respond } from '@/lib/http/respond';
import { skipTask } from '@/lib/queue/skip';

export const POST = withAccess<{ id: string }>(async (request, user, { params }) =>
  respond(async () => {
    const { reason } = await readJson(request, skipInput);
    return skipTask(getDb(), user.id, (await params).id, reason);
  }),
);
