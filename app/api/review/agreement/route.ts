import { withAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { invalidInput } from '@/lib/errors';
import { respond } from '@/lib/http/respond';
import { agreementForViewer, agreementQuery } from '@/lib/metrics/project-agreement';

/**
 * Where labelers disagree: `GET /api/review/agreement?project=<slug>[&limit=20]`. Reviewers see
 * projects they are members of (403 otherwise); admins see any project.
 */
export const GET = withAccess(async (request, user) =>
  respond(async () => {
    const query = request.nextUrl.searchParams;
    const parsed = agreementQuery.safeParse({ project: query.get('project') ?? undefined, limit: query.get('limit') ?? undefined });
    if (!parsed.success) throw invalidInput(parsed.error);
    return agreementForViewer(getDb(), user, parsed.data.project, parsed.data.limit);
  }),
);
