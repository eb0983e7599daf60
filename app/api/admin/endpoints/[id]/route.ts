import { withAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { endpointInput, saveEndpoint } from '@/lib/generation/endpoints';
import { readJson, respond } from '@/lib/http/respond';

/** Replaces an endpoint's settings; an omitted apiKey keeps the stored one, "" removes it. */
export const PUT = withAccess<{ id: string }>(async (request, user, { params }) =>
  respond(async () => {
    const { id } = await params;
    const input = await readJson(request, endpointInput);
    return { endpoint: await saveEndpoint(getDb(), user.id, input, { id }) };
  }),
);
