import { withAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { publishGuidelineDraft, publishInput } from '@/lib/guidelines/admin';
import { requireProject } from '@/lib/projects/admin';
import { readJson, respond } from '@/lib/http/respond';

type Params = { slug: string };

/** Publishes the draft (with the editor's text, when sent) as the next immutable version. */
export const POST = withAccess<Params>(async (request, user, { params }) =>
  respond(async () => {
    const db = getDb();
    const project = await requireProject(db, (await params).slug);
    const input = await readJson(request, publishInput);
    return publishGuidelineDraft(db, { projectId: project.id, actorId: user.id, ...input });
  }, 201),
);
