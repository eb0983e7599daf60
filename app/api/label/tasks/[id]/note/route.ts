import { withAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { addItemNote } from '@/lib/annotation/notes';
import { itemNoteInput } from '@/lib/annotation/schemas';
import { readJson, respond } from '@/lib/http/respond';

export const POST = withAccess<{ id: string }>(async (request, user, { params }) =>
  respond(async () => {
    const input = await readJson(request, itemNoteInput);
    return addItemNote(getDb(), user.id, (await params).id, input);
  }, 201),
);
