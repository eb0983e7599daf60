import { withAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { invalidInput } from '@/lib/errors';
import { compareGuidelineVersions, compareInput } from '@/lib/guidelines/admin';
import { requireProject } from '@/lib/projects/admin';
import { respond } from '@/lib/http/respond';

type Params = { slug: string };

/** Two published versions side by side: `?left=1&right=2`. */
export const GET = withAccess<Params>(async (request, _user, { params }) =>
  respond(async () => {
    const db = getDb();
    const project = await requireProject(db, (await params).slug);
    const query = request.nextUrl.searchParams;
    const parsed = compareInput.safeParse({ left: query.get('left') ?? undefined, right: query.get('right') ?? undefined });
    if (!parsed.success) throw invalidInput(parsed.error);
    return compareGuidelineVersions(db, project.id, parsed.data);
  }),
);
