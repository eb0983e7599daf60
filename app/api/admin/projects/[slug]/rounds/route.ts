import { withAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { readJson, respond } from '@/lib/http/respond';
import { requireProject } from '@/lib/projects/admin';
import { listRounds, roundExportChoices, startRound, startRoundInput } from '@/lib/rounds/rounds';

type Params = { slug: string };

/** The project's rounds with their figures, and the exports a new round could start from. */
export const GET = withAccess<Params>(async (_request, _user, { params }) =>
  respond(async () => {
    const db = getDb();
    const project = await requireProject(db, (await params).slug);
    const [rounds, exports] = await Promise.all([listRounds(db, project.id), roundExportChoices(db, project.id)]);
    return { rounds, exports };
  }),
);

/** POST { exportRunId } → 201 { round: {id, number} }. */
export const POST = withAccess<Params>(async (request, user, { params }) =>
  respond(async () => {
    const db = getDb();
    const project = await requireProject(db, (await params).slug);
    return { round: await startRound(db, user.id, project.id, await readJson(request, startRoundInput)) };
  }, 201),
);
