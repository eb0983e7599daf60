import crypto from 'node:crypto';
import { z } from 'zod';
import { recordAudit } from '../audit.ts';
import type { Db } from '../db.ts';
import { DomainError } from '../errors.ts';

/** export: stream datasets; inference: call the bundled model's /v1/chat/completions. */
export const TOKEN_SCOPES = ['export', 'inference'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];
const PREFIX = 'fl_';

export const createTokenInput = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
  scopes: z.array(z.enum(TOKEN_SCOPES)).min(1, 'choose at least one scope').default(['export']),
});

const hashToken = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

/** A personal API token for the admin creating it; the token is returned once and stored only as a hash. */
export async function createApiToken(db: Db, actorId: string, input: z.infer<typeof createTokenInput>) {
  const token = `${PREFIX}${crypto.randomBytes(32).toString('base64url')}`;
  return db.$transaction(async (tx) => {
    const row = await tx.apiToken.create({
      data: { userId: actorId, name: input.name, scopes: input.scopes, tokenHash: hashToken(token) },
      select: { id: true, name: true, scopes: true, createdAt: true },
    });
    await recordAudit(tx, { actorId, action: 'token.create', entityType: 'ApiToken', entityId: row.id, after: { name: input.name, scopes: input.scopes } });
    return { ...row, token };
  });
}

export async function listApiTokens(db: Db) {
  return db.apiToken.findMany({
    select: { id: true, name: true, scopes: true, createdAt: true, lastUsedAt: true, revokedAt: true, user: { select: { email: true } } },
    orderBy: { createdAt: 'desc' },
  });
}

/** Revoked tokens stop working on their next request: every use looks the token up again. */
export async function revokeApiToken(db: Db, actorId: string, id: string) {
  return db.$transaction(async (tx) => {
    const { count } = await tx.apiToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
    if (count === 0) throw new DomainError('not_found', 'No such active token.', 404);
    await recordAudit(tx, { actorId, action: 'token.revoke', entityType: 'ApiToken', entityId: id });
    return { revoked: true };
  });
}

/**
 * The user behind a `Authorization: Bearer fl_…` header, for a scope. 401 for a missing,
 * unknown or revoked token; 403 when its owner is no longer an active admin or the token
 * lacks the scope.
 */
export async function authenticateApiToken(db: Db, authorization: string | null, scope: TokenScope) {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (!token?.startsWith(PREFIX)) throw new DomainError('unauthenticated', 'Send an API token: "Authorization: Bearer fl_…".', 401);
  const row = await db.apiToken.findUnique({
    where: { tokenHash: hashToken(token) },
    select: { id: true, scopes: true, revokedAt: true, user: { select: { id: true, role: true, active: true } } },
  });
  if (!row || row.revokedAt) throw new DomainError('unauthenticated', 'This API token is unknown or revoked.', 401);
  if (!row.scopes.includes(scope)) throw new DomainError('forbidden', `This API token is not allowed to ${scope}.`, 403);
  if (!row.user.active || row.user.role !== 'ADMIN') throw new DomainError('forbidden', `Only an active admin's token may ${scope === 'export' ? 'export' : 'call the model'}.`, 403);
  await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  return { userId: row.user.id, tokenId: row.id };
}
