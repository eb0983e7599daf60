/**
 * "Generate with this round's model" in one step: the round's model is registered as an endpoint
 * served by this Feedloop's own /v1, like any other endpoint, with an API token that may only call
 * models. Asking again for the same model at the same address reuses that endpoint.
 */
import { createApiToken, revokeApiToken } from '../auth/api-tokens.ts';
import type { Db } from '../db.ts';
import { DomainError } from '../errors.ts';
import { checkEndpointUrl } from '../generation/endpoint-url.ts';
import { saveEndpoint } from '../generation/endpoints.ts';
import { listRounds } from './rounds.ts';

const KIND = { SFT: 'SFT', DPO: 'DPO', REWARD: 'reward model' } as const;

/** `serverOrigin`: how this server is reached, e.g. "https://feedloop.example.com". */
export async function roundModelEndpoint(
  db: Db,
  actorId: string,
  projectId: string,
  roundId: string,
  serverOrigin: string,
  options: { secret?: string } = {},
): Promise<{ endpoint: { id: string; name: string }; created: boolean }> {
  const round = (await listRounds(db, projectId)).find((r) => r.id === roundId);
  if (!round) throw new DomainError('not_found', 'There is no such round in this project.', 404);
  if (!round.model) throw new DomainError('no_model', `Round ${round.number} has no finished SFT or DPO run to generate with yet.`, 409);
  const baseUrl = await checkEndpointUrl(`${serverOrigin}/v1`);
  const existing = await db.modelEndpoint.findFirst({ where: { baseUrl, model: round.model.id, active: true, apiKeyEncrypted: { not: null } }, select: { id: true, name: true } });
  if (existing) return { endpoint: existing, created: false };
  const name = `Round ${round.number} · ${KIND[round.model.kind]} · ${round.model.id}`;
  const token = await createApiToken(db, actorId, { name: `${name} (candidate generation)`, scopes: ['inference'] });
  try {
    const endpoint = await saveEndpoint(db, actorId, { name, baseUrl, model: round.model.id, apiKey: token.token, defaults: {}, active: true }, { secret: options.secret });
    return { endpoint: { id: endpoint.id, name: endpoint.name }, created: true };
  } catch (error) {
    // A token nobody can use any more is revoked rather than left behind.
    await revokeApiToken(db, actorId, token.id);
    throw error;
  }
}

