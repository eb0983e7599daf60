/**
 * How admin pages name items they only know by id (a generation run's failed items, say): the
 * external id the admin imported them under and the start of the prompt, since ids mean nothing
 * to a person.
 */
import type { Queryable } from '../db.ts';

export interface ItemRef {
  id: string;
  externalId: string;
  excerpt: string;
}

const EXCERPT_CHARS = 80;

/** The last user turn (the one the model answers), on one line and cut to a readable length. */
export function promptExcerpt(messages: unknown, limit = EXCERPT_CHARS): string {
  const turns = Array.isArray(messages) ? (messages as { role?: unknown; content?: unknown }[]) : [];
  const last = turns.findLast((turn) => turn?.role === 'user' && typeof turn.content === 'string');
  const text = typeof last?.content === 'string' ? last.content.replace(/\s+/g, ' ').trim() : '';
  return text.length > limit ? `${text.slice(0, limit - 1).trimEnd()}…` : text;
}

/** The project's items among `ids`; ids of other projects' items are left out. */
export async function itemRefs(db: Queryable, projectId: string, ids: string[]): Promise<ItemRef[]> {
  if (ids.length === 0) return [];
  const rows = await db.item.findMany({ where: { projectId, id: { in: [...new Set(ids)] } }, select: { id: true, externalId: true, messages: true } });
  return rows.map((row) => ({ id: row.id, externalId: row.externalId, excerpt: promptExcerpt(row.messages) }));
}

/** How many items a "generate candidates" choice covers: all of them, or those nobody ranked yet. */
export async function itemCounts(db: Queryable, projectId: string): Promise<{ all: number; unranked: number }> {
  const [all, unranked] = await Promise.all([
    db.item.count({ where: { projectId } }),
    db.item.count({ where: { projectId, rankings: { none: {} } } }),
  ]);
  return { all, unranked };
}
