import { withAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { draftInput } from '@/lib/annotation/schemas';
import { saveDraft } from '@/lib/annotation/drafts';
import { readJson, respond } from '@/lib/http/respond';

export const PUT = withAccess<{ id: string }>(async (request, user, { params }) =>
  respond(async () => {
    const { content } = await readJson(request, draftInput);
    return saveDraft(getDb(), user.id, (await params).id, content);
  }),
);
