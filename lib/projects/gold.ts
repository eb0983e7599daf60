/**
 * Gold items for admins: a paged, searchable list of a project's items, and marking an item
 * gold with a reference ranking (or un-marking it). Labelers never see any of this: the
 * labeling and review queries select their columns explicitly and leave isGold and
 * goldAnswer out, so a gold item is served like any other.
 */
import { z } from 'zod';
import type { Actor } from '../people/actor.ts';
import { recordAudit } from '../audit.ts';
import type { Db, Tx } from '../db.ts';
import { DomainError, invalidInput } from '../errors.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { parseGold, promptSnippet } from '../metrics/project-agreement.ts';
import type { Turn } from '../queue/types.ts';
import { ADMIN_GOLD_SOURCE, goldInput, goldInputFor, type GoldAnswer } from './gold-tiers.ts';

export const ITEMS_PAGE_SIZE = 20;

/**
 * The list's query string. A value that does not fit falls back to its default rather than
 * failing the page: these come from links and a search box, not from a client we control.
 */
export const itemsQuery = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  gold: z.literal('1').optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(1_000_000).default(1).catch(1),
  item: z.string().trim().min(1).max(100).optional().catch(undefined),
});
export type ItemsQuery = z.infer<typeof itemsQuery>;

export function parseItemsQuery(params: Record<string, string | string[] | undefined>): ItemsQuery {
  const first = (key: string) => {
    const value = params[key];
    return (Array.isArray(value) ? value[0] : value) || undefined;
  };
  return itemsQuery.parse({ q: first('q'), gold: first('gold'), page: first('page'), item: first('item') });
}

/** The query string of the list with these settings (empty ones left out). */
export function itemsQueryString(query: Partial<ItemsQuery>): string {
  const params = new URLSearchParams();
  if (query.q) params.set('q', query.q);
  if (query.gold) params.set('gold', query.gold);
  if (query.page && query.page > 1) params.set('page', String(query.page));
  if (query.item) params.set('item', query.item);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Item.goldAnswer as the agreement figures read it; null when it would not count as gold. */
export function readGold(value: unknown): GoldAnswer | null {
  const tiers = parseGold(value);
  if (!tiers) return null;
  const source = (value as { source?: unknown }).source;
  return { tiers, source: typeof source === 'string' && source ? source : 'unknown' };
}

export interface ItemRow {
  id: string;
  externalId: string;
  snippet: string;
  candidates: number;
  gold: GoldAnswer | null;
}

export interface ItemPage {
  items: ItemRow[];
  total: number;
  page: number;
  pages: number;
  pageSize: number;
}

/** `%text%` for ILIKE, with the user's own % _ and \ matched literally. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * One page of a project's items, oldest first, optionally only gold ones or those whose
 * external id or any turn's text contains `q` (case-insensitive).
 */
export async function listProjectItems(db: Db, projectId: string, query: Pick<ItemsQuery, 'q' | 'gold' | 'page'>): Promise<ItemPage> {
  const pattern = query.q ? containsPattern(query.q) : null;
  const where = Prisma.sql`i."projectId" = ${projectId}
    ${query.gold ? Prisma.sql`AND jsonb_typeof(i."goldAnswer") = 'object'` : Prisma.empty}
    ${
      pattern
        ? Prisma.sql`AND (i."externalId" ILIKE ${pattern} ESCAPE '\\' OR EXISTS (
            SELECT 1 FROM jsonb_array_elements(CASE WHEN jsonb_typeof(i.messages) = 'array' THEN i.messages ELSE '[]'::jsonb END) AS turn
            WHERE turn->>'content' ILIKE ${pattern} ESCAPE '\\'))`
        : Prisma.empty
    }`;
  const [{ total }] = await db.$queryRaw<[{ total: number }]>`SELECT count(*)::int AS total FROM "Item" i WHERE ${where}`;
  const pages = Math.max(1, Math.ceil(total / ITEMS_PAGE_SIZE));
  const page = Math.min(query.page, pages);
  const rows = await db.$queryRaw<{ id: string; externalId: string; messages: unknown; goldAnswer: unknown; candidates: number }[]>`
    SELECT i.id, i."externalId", i.messages, i."goldAnswer",
      (SELECT count(*)::int FROM "Candidate" c WHERE c."itemId" = i.id) AS candidates
    FROM "Item" i
    WHERE ${where}
    ORDER BY i."createdAt", i.id
    LIMIT ${ITEMS_PAGE_SIZE} OFFSET ${(page - 1) * ITEMS_PAGE_SIZE}`;
  return {
    items: rows.map((row) => ({
      id: row.id,
      externalId: row.externalId,
      snippet: promptSnippet(row.messages),
      candidates: row.candidates,
      gold: readGold(row.goldAnswer),
    })),
    total,
    page,
    pages,
    pageSize: ITEMS_PAGE_SIZE,
  };
}

export interface GoldItem {
  id: string;
  externalId: string;
  system: string | null;
  messages: Turn[];
  /** In a fixed order (oldest first), so the admin's letters A, B, … stay put. */
  candidates: { id: string; content: string; model: string }[];
  gold: GoldAnswer | null;
}

/** One item of the project with its answers and gold answer; 404 when the project has no such item. */
export async function goldItem(db: Db, projectId: string, itemId: string): Promise<GoldItem> {
  const item = await db.item.findFirst({
    where: { id: itemId, projectId },
    select: {
      id: true,
      externalId: true,
      system: true,
      messages: true,
      goldAnswer: true,
      candidates: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], select: { id: true, content: true, model: true } },
    },
  });
  if (!item) throw new DomainError('not_found', 'This project has no such item.', 404);
  return {
    id: item.id,
    externalId: item.externalId,
    system: item.system,
    messages: (Array.isArray(item.messages) ? item.messages : []) as unknown as Turn[],
    candidates: item.candidates,
    gold: readGold(item.goldAnswer),
  };
}

export interface GoldState {
  itemId: string;
  gold: GoldAnswer | null;
}

/** Locks the item (by project slug) for the rest of the transaction; 404 when there is none. */
async function lockItem(tx: Tx, slug: string, itemId: string) {
  const rows = await tx.$queryRaw<{ id: string; isGold: boolean; goldAnswer: unknown }[]>`
    SELECT i.id, i."isGold", i."goldAnswer" FROM "Item" i JOIN "Project" p ON p.id = i."projectId"
    WHERE i.id = ${itemId} AND p.slug = ${slug}
    FOR UPDATE OF i`;
  const item = rows[0];
  if (!item) throw new DomainError('not_found', 'This project has no such item.', 404);
  return item;
}

const auditView = (item: { isGold: boolean; goldAnswer: unknown }) => ({
  isGold: item.isGold,
  goldAnswer: (item.goldAnswer ?? null) as Prisma.InputJsonValue | null,
});

/**
 * Marks an item gold with the admin's reference ranking (replacing any earlier gold answer,
 * an imported preference included). Every id must be an answer of the item, once.
 */
export async function setGold(db: Db, actor: Actor, slug: string, itemId: string, untrusted: unknown): Promise<GoldState> {
  const shape = goldInput.safeParse(untrusted);
  if (!shape.success) throw invalidInput(shape.error);
  return db.$transaction(async (tx) => {
    const item = await lockItem(tx, slug, itemId);
    const candidates = await tx.candidate.findMany({ where: { itemId }, select: { id: true } });
    const parsed = goldInputFor(candidates.map((c) => c.id)).safeParse(shape.data);
    if (!parsed.success) throw invalidInput(parsed.error);
    const gold: GoldAnswer = { tiers: parsed.data.tiers, source: ADMIN_GOLD_SOURCE };
    const unchanged = item.isGold && JSON.stringify(readGold(item.goldAnswer)) === JSON.stringify(gold);
    if (!unchanged) {
      await tx.item.update({ where: { id: itemId }, data: { isGold: true, goldAnswer: { ...gold } } });
      await recordAudit(tx, {
        actorId: actor.id,
        action: 'item.gold_set',
        entityType: 'Item',
        entityId: itemId,
        before: auditView(item),
        after: { isGold: true, goldAnswer: { ...gold } },
        ip: actor.ip,
      });
    }
    return { itemId, gold };
  });
}

/** Un-marks a gold item: it no longer counts for gold accuracy. Clearing twice changes nothing. */
export async function clearGold(db: Db, actor: Actor, slug: string, itemId: string): Promise<GoldState> {
  return db.$transaction(async (tx) => {
    const item = await lockItem(tx, slug, itemId);
    if (item.isGold || item.goldAnswer !== null) {
      await tx.item.update({ where: { id: itemId }, data: { isGold: false, goldAnswer: Prisma.DbNull } });
      await recordAudit(tx, {
        actorId: actor.id,
        action: 'item.gold_clear',
        entityType: 'Item',
        entityId: itemId,
        before: auditView(item),
        after: { isGold: false, goldAnswer: null },
        ip: actor.ip,
      });
    }
    return { itemId, gold: null };
  });
}
