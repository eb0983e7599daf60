import { withAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { cancelGenerationRun } from '@/lib/generation/runs';
import { respond } from '@/lib/http/respond';
import { requireProject } from '@/lib/projects/admin';

/** Stops a run (the worker carrying it out sees the cancel on its next heartbeat); answers already stored stay, and a re-run fills the rest. */
export const POST = withAccess<{ slug: string; id: string }>(async (_request, user, { params }) =>
  respond(async () => {
    const { slug, id } = await params;
    const db = getDb();
    const project = await requireProject(db, slug);
    return { run: await cancelGenerationRun(db, user.id, project.id, id) };
  }),
);
