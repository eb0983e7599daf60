import { withAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { enqueueGenerationRun, generationInput, listGenerationRuns } from '@/lib/generation/runs';
import { readJson, respond } from '@/lib/http/respond';
import { requireProject } from '@/lib/projects/admin';

type Params = { slug: string };

/** The project's generation runs, newest first. */
export const GET = withAccess<Params>(async (_request, _user, { params }) =>
  respond(async () => {
    const project = await requireProject(getDb(), (await params).slug);
    return { runs: await listGenerationRuns(getDb(), project.id) };
  }),
);

/**
 * POST { endpoints: [{endpointId, n, temperature?, topP?, maxTokens?}], unrankedOnly, limit?, concurrency }
 * → 202 { run }, QUEUED: the worker process carries it out; poll GET …/generation/<id> to follow it.
 */
export const POST = withAccess<Params>(async (request, user, { params }) =>
  respond(async () => {
    const db = getDb();
    const project = await requireProject(db, (await params).slug);
    const input = await readJson(request, generationInput);
    return { run: await enqueueGenerationRun(db, user.id, project.id, input) };
  }, 202),
);
