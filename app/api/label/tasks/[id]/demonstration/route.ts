import { withAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { demonstrationInput } from '@/lib/annotation/schemas';
import { submitDemonstration } from '@/lib/annotation/submit';
import { readJson, respond } from '@/lib/http/respond';

export const POST = withAccess<{ id: string }>(async (request, user, { params }) =>
  respond(async () => {
    const input = await readJson(request, demonstrationInput);
    return submitDemonstration(getDb(), user.id, (await params).id, input);
  }),
);
