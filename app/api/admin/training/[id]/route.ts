import { withAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { DomainError } from '@/lib/errors';
import { respond } from '@/lib/http/respond';
import { getTrainingRun } from '@/lib/training/runs';

/** One run with its curves and checkpoint files; the run page polls it while the run is active. */
export const GET = withAccess<{ id: string }>(async (_request, _user, { params }) =>
  respond(async () => {
    const { id } = await params;
    const run = await getTrainingRun(getDb(), id);
    if (!run) throw new DomainError('not_found', 'There is no such training run.', 404);
    return { run };
  }),
);
