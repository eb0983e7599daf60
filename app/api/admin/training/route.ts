import { withAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { readJson, respond } from '@/lib/http/respond';
import { listTrainingRuns, startTrainingInput, startTrainingRun } from '@/lib/training/runs';

/** Training runs, newest first, with their latest figures (not their curves). */
export const GET = withAccess(async () => respond(async () => ({ runs: await listTrainingRuns(getDb()) })));

/**
 * POST { method, exportRunId, initRunId?, config? } → 201 { run }: the run is queued and the
 * worker process starts its trainer; poll GET /api/admin/training/<id> to follow it.
 */
export const POST = withAccess(async (request, user) =>
  respond(async () => {
    const body = await readJson(request, startTrainingInput);
    return { run: await startTrainingRun(getDb(), user.id, body) };
  }, 201),
);
