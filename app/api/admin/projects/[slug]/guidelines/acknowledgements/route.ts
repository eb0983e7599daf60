import { withAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { guidelineAcknowledgements } from '@/lib/guidelines/admin';
import { requireProject } from '@/lib/projects/admin';
import { respond } from '@/lib/http/respond';

type Params = { slug: string };

/** Who acknowledged which version, and the members who have not read the latest one. */
export const GET = withAccess<Params>(async (_request, _user, { params }) =>
  respond(async () => {
    const db = getDb();
    const project = await requireProject(db, (await params).slug);
    return guidelineAcknowledgements(db, project.id);
  }),
);
