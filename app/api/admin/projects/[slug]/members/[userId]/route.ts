import { withAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { respond } from '@/lib/http/respond';
import { removeMember } from '@/lib/projects/admin';

export const DELETE = withAccess<{ slug: string; userId: string }>(async (_request, user, { params }) =>
  respond(async () => {
    const { slug, userId } = await params;
    return removeMember(getDb(), user.id, slug, userId);
  }),
);
