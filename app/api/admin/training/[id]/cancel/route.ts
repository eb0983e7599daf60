import { withAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { respond } from '@/lib/http/respond';
import { cancelTrainingRun } from '@/lib/training/runs';

/** Asks an active run to stop; it saves a checkpoint and ends CANCELLED a moment later. */
export const POST = withAccess<{ id: string }>(async (_request, user, { params }) =>
  respond(async () => {
    const { id } = await params;
    return { run: await cancelTrainingRun(getDb(), user.id, id) };
  }),
);
