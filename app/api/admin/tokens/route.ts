import { withAccess } from '@/lib/auth/guard';
import { createApiToken, createTokenInput, listApiTokens } from '@/lib/auth/api-tokens';
import { getDb } from '@/lib/db';
import { readJson, respond } from '@/lib/http/respond';

/** Every API token (never the token itself): name, owner, created, last used, revoked. */
export const GET = withAccess(async () => respond(async () => ({ tokens: await listApiTokens(getDb()) })));

/** POST { name } → the new token; the only answer that ever carries it. */
export const POST = withAccess(async (request, user) =>
  respond(async () => createApiToken(getDb(), user.id, await readJson(request, createTokenInput)), 201),
);
