import { withAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { readJson, respond } from '@/lib/http/respond';
import { memberInput, setMember } from '@/lib/projects/admin';

export const PUT = withAccess<{ slug: string }>(async (request, user, { params }) =>
  respond(async () => setMember(getDb(), user.id, (await params).slug, await readJson(request, memberInput))),
);
