import { withAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { guidelineContentInput, saveGuidelineDraft } from '@/lib/guidelines/admin';
import { requireProject } from '@/lib/projects/admin';
import { readJson, respond } from '@/lib/http/respond';

type Params = { slug: string };

/** Saves the editor's text as the project's one draft (created or updated in place). */
export const PUT = withAccess<Params>(async (request, user, { params }) =>
  respond(async () => {
    const db = getDb();
    const project = await requireProject(db, (await params).slug);
    const content = await readJson(request, guidelineContentInput);
    return saveGuidelineDraft(db, { projectId: project.id, actorId: user.id, ...content });
  }),
);
