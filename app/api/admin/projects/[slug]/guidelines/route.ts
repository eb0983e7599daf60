import { withAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { guidelineEditorState, guidelineHistory } from '@/lib/guidelines/admin';
import { requireProject } from '@/lib/projects/admin';
import { respond } from '@/lib/http/respond';

type Params = { slug: string };

/** The project's guideline state: latest published version, draft, where the editor starts, and the history. */
export const GET = withAccess<Params>(async (_request, _user, { params }) =>
  respond(async () => {
    const db = getDb();
    const project = await requireProject(db, (await params).slug);
    const [editor, history] = await Promise.all([guidelineEditorState(db, project.id), guidelineHistory(db, project.id)]);
    return { project, ...editor, history };
  }),
);
