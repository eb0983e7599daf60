import { withAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { respond } from '@/lib/http/respond';
import { requireProject } from '@/lib/projects/admin';
import { roundModelEndpoint } from '@/lib/rounds/model-endpoint';
import { selfUrl } from '@/lib/serving/self-url';

/**
 * POST → { endpoint: {id, name}, created }: the round's model as an endpoint served by this
 * server's own /v1 (at FEEDLOOP_SELF_URL); one registered before is reused while it works.
 */
export const POST = withAccess<{ slug: string; id: string }>(async (_request, user, { params }) =>
  respond(async () => {
    const { slug, id } = await params;
    const db = getDb();
    const project = await requireProject(db, slug);
    return roundModelEndpoint(db, user.id, project.id, id, selfUrl());
  }),
);
