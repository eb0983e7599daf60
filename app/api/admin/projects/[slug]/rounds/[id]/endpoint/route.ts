import { withAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { respond } from '@/lib/http/respond';
import { requireProject } from '@/lib/projects/admin';
import { roundModelEndpoint } from '@/lib/rounds/model-endpoint';

/**
 * POST → { endpoint: {id, name}, created }: the round's model as an endpoint served by this
 * server's /v1, at the address the admin reached it by; one registered before is reused.
 */
export const POST = withAccess<{ slug: string; id: string }>(async (request, user, { params }) =>
  respond(async () => {
    const { slug, id } = await params;
    const db = getDb();
    const project = await requireProject(db, slug);
    return roundModelEndpoint(db, user.id, project.id, id, new URL(request.url).origin);
  }),
);
