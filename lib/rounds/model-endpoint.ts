/**
 * "Generate with this round's model" in one step: the round's model is registered as an endpoint
 * served by this Feedloop's own /v1, like any other endpoint, with an API token that may only call
 * models. Asked again, the endpoint registered before is reused while its token still works, and
 * repaired in place when it does not (token revoked, its admin gone, switched off, server moved).
 */
import { authenticateApiToken, createApiToken, revokeApiToken } from '../auth/api-tokens.ts';
import { authSecret } from '../auth/secret.ts';
import type { Db } from '../db.ts';
import { DomainError } from '../errors.ts';
import { checkEndpointUrl } from '../generation/endpoint-url.ts';
import { saveEndpoint } from '../generation/endpoints.ts';
import { decryptSecret } from '../generation/secrets.ts';
import { roundModel } from './rounds.ts';

const KIND = { SFT: 'SFT', DPO: 'DPO', REWARD: 'reward model' } as const;

/** The token behind a stored key while it may still call models, else null. */
async function liveToken(db: Db, encrypted: string | null, secret: string): Promise<string | null> {
  if (!encrypted) return null;
  try {
    return (await authenticateApiToken(db, `Bearer ${decryptSecret(encrypted, secret)}`, 'inference')).tokenId;
  } catch {
    return null;
  }
}

/** `serverUrl`: where this server's processes reach its web server (lib/serving/self-url.ts). */
export async function roundModelEndpoint(
  db: Db,
  actorId: string,
  projectId: string,
  roundId: string,
  serverUrl: string,
  options: { secret?: string } = {},
): Promise<{ endpoint: { id: string; name: string }; created: boolean }> {
  // Only the round's runs are read: its win rate and candidates are not needed here.
  const round = await roundModel(db, projectId, roundId);
  if (!round) throw new DomainError('not_found', 'There is no such round in this project.', 404);
  if (!round.model) throw new DomainError('no_model', `Round ${round.number} has no finished SFT or DPO run of its own to generate with yet.`, 409);
  const baseUrl = await checkEndpointUrl(`${serverUrl}/v1`);
  const name = `Round ${round.number} · ${KIND[round.model.kind]} · ${round.model.id}`;
  const existing = await db.modelEndpoint.findUnique({ where: { name }, select: { id: true, baseUrl: true, model: true, active: true, apiKeyEncrypted: true } });
  const secret = options.secret ?? authSecret();
  const oldToken = existing ? await liveToken(db, existing.apiKeyEncrypted, secret) : null;
  if (existing && oldToken && existing.active && existing.baseUrl === baseUrl && existing.model === round.model.id) {
    return { endpoint: { id: existing.id, name }, created: false };
  }
  const token = await createApiToken(db, actorId, { name: `${name} (candidate generation)`, scopes: ['inference'] });
  try {
    const endpoint = await saveEndpoint(db, actorId, { name, baseUrl, model: round.model.id, apiKey: token.token, defaults: {}, active: true }, { id: existing?.id, secret });
    // The key it replaces is no longer stored anywhere: it should not work either.
    if (oldToken) await revokeApiToken(db, actorId, oldToken);
    return { endpoint: { id: endpoint.id, name }, created: !existing };
  } catch (error) {
    // A token nobody can use is revoked rather than left behind.
    await revokeApiToken(db, actorId, token.id);
    throw error;
  }
}
