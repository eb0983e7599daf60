import { withAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { getGenerationRun } from '@/lib/generation/runs';
import { respond } from '@/lib/http/respond';
import { requireProject } from '@/lib/projects/admin';
import { itemRefs } from '@/lib/projects/item-refs';

/** One run, for polling while it goes on, with the failed items named so a person can find them. */
export const GET = withAccess<{ slug: string; id: string }>(async (_request, _user, { params }) =>
  respond(async () => {
    const { slug, id } = await params;
    const db = getDb();
    const project = await requireProject(db, slug);
    const run = await getGenerationRun(db, project.id, id);
    return { run, items: await itemRefs(db, project.id, run.failures.map((f) => f.itemId)) };
  }),
);
