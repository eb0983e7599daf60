/**
 * Model endpoints an admin registers: OpenAI chat-completions servers (the bundled model's
 * /v1 among them). Only registered URLs are ever called; each URL is checked against
 * link-local and metadata addresses when saved and again before every run (DNS can change).
 * API keys are encrypted at rest and never leave the server again.
 */
import { z } from 'zod';
import { recordAudit } from '../audit.ts';
import { authSecret } from '../auth/secret.ts';
import type { Db, Queryable } from '../db.ts';
import { DomainError } from '../errors.ts';
import type { Endpoint, Sampling } from './client.ts';
import { checkEndpointUrl, type Lookup } from './endpoint-url.ts';
import { decryptSecret, encryptSecret } from './secrets.ts';

export const samplingDefaults = z
  .object({
    temperature: z.number().min(0).max(2).optional(),
    topP: z.number().gt(0).max(1).optional(),
    maxTokens: z.number().int().min(1).max(8192).optional(),
  })
  .strict();

export const endpointInput = z
  .object({
    name: z.string().trim().min(1, 'is required').max(100),
    baseUrl: z.string().trim().min(1, 'is required').max(2000),
    model: z.string().trim().min(1, 'is required').max(200),
    /** Write-only. On update: omitted keeps the stored key, "" removes it. */
    apiKey: z.string().max(4000).optional(),
    defaults: samplingDefaults.default({}),
    active: z.boolean().default(true),
  })
  .strict();
export type EndpointInput = z.infer<typeof endpointInput>;

export interface EndpointView {
  id: string;
  name: string;
  baseUrl: string;
  model: string;
  hasApiKey: boolean;
  defaults: z.infer<typeof samplingDefaults>;
  active: boolean;
  createdAt: string;
}

const select = { id: true, name: true, baseUrl: true, model: true, apiKeyEncrypted: true, defaults: true, active: true, createdAt: true } as const;
type Row = { id: string; name: string; baseUrl: string; model: string; apiKeyEncrypted: string | null; defaults: unknown; active: boolean; createdAt: Date };

function view(row: Row): EndpointView {
  const defaults = samplingDefaults.safeParse(row.defaults);
  return {
    id: row.id,
    name: row.name,
    baseUrl: row.baseUrl,
    model: row.model,
    hasApiKey: row.apiKeyEncrypted !== null,
    defaults: defaults.success ? defaults.data : {},
    active: row.active,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function listEndpoints(db: Queryable): Promise<EndpointView[]> {
  return (await db.modelEndpoint.findMany({ select, orderBy: { name: 'asc' } })).map(view);
}

export async function saveEndpoint(
  db: Db,
  actorId: string,
  input: EndpointInput,
  options: { id?: string; lookup?: Lookup; secret?: string } = {},
): Promise<EndpointView> {
  const baseUrl = await checkEndpointUrl(input.baseUrl, options.lookup);
  const secret = options.secret ?? authSecret();
  const key = input.apiKey === undefined ? undefined : input.apiKey === '' ? null : encryptSecret(input.apiKey, secret);
  return db.$transaction(async (tx) => {
    const clash = await tx.modelEndpoint.findUnique({ where: { name: input.name }, select: { id: true } });
    if (clash && clash.id !== options.id) throw new DomainError('conflict', `name: an endpoint called "${input.name}" exists already`, 409, 'name');
    const data = { name: input.name, baseUrl, model: input.model, defaults: input.defaults, active: input.active, ...(key !== undefined && { apiKeyEncrypted: key }) };
    let row: Row;
    if (options.id) {
      const before = await tx.modelEndpoint.findUnique({ where: { id: options.id }, select });
      if (!before) throw new DomainError('not_found', 'No such endpoint.', 404);
      row = await tx.modelEndpoint.update({ where: { id: options.id }, data, select });
      await recordAudit(tx, { actorId, action: 'endpoint.update', entityType: 'ModelEndpoint', entityId: row.id, before: { ...view(before), createdAt: undefined }, after: { ...view(row), createdAt: undefined } });
    } else {
      row = await tx.modelEndpoint.create({ data: { ...data, apiKeyEncrypted: key ?? null, createdById: actorId }, select });
      await recordAudit(tx, { actorId, action: 'endpoint.create', entityType: 'ModelEndpoint', entityId: row.id, after: { ...view(row), createdAt: undefined } });
    }
    return view(row);
  });
}

/** What a run needs to call an endpoint: its URL (re-checked now), model, decrypted key and default sampling. */
export async function endpointForCall(
  db: Queryable,
  id: string,
  options: { lookup?: Lookup; secret?: string } = {},
): Promise<{ id: string; name: string; endpoint: Endpoint; defaults: Sampling }> {
  const row = await db.modelEndpoint.findUnique({ where: { id }, select });
  if (!row) throw new DomainError('not_found', `endpoints: no endpoint with the id "${id}"`, 404, 'endpoints');
  if (!row.active) throw new DomainError('invalid_input', `endpoints: "${row.name}" is switched off`, 400, 'endpoints');
  const baseUrl = await checkEndpointUrl(row.baseUrl, options.lookup);
  const apiKey = row.apiKeyEncrypted ? decryptSecret(row.apiKeyEncrypted, options.secret ?? authSecret()) : null;
  return { id: row.id, name: row.name, endpoint: { baseUrl, model: row.model, apiKey }, defaults: view(row).defaults };
}
