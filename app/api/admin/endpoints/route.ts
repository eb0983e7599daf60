import { withAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { endpointInput, listEndpoints, saveEndpoint } from '@/lib/generation/endpoints';
import { readJson, respond } from '@/lib/http/respond';

/** Registered model endpoints, by name; an API key is reported as set or not, never returned. */
export const GET = withAccess(async () => respond(async () => ({ endpoints: await listEndpoints(getDb()) })));

/** POST { name, baseUrl, model, apiKey?, defaults?, active? } → 201 { endpoint }. */
export const POST = withAccess(async (request, user) =>
  respond(async () => {
    const input = await readJson(request, endpointInput);
    return { endpoint: await saveEndpoint(getDb(), user.id, input) };
  }, 201),
);
