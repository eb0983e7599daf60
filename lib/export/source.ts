import pg from 'pg';
import Cursor from 'pg-cursor';
import type { ExportOptions } from './options.ts';

const BATCH = 500;

export interface SftSourceRow {
  id: string;
  item_id: string;
  author_id: string;
  system: string | null;
  prompt: { role: 'user' | 'assistant'; content: string }[];
  reply: { role: 'user' | 'assistant'; content: string }[];
  is_refusal: boolean;
  guideline: number | null;
  status: string;
}

export interface RankingSource {
  rankingId: string;
  author: string;
  tiers: string[][];
  allBad: boolean;
  reply: string | null;
  replyIsRefusal: boolean | null;
  guideline: number | null;
  ratings: Record<string, { helpful: number; truthful: number; harmless: number }>;
  flags: Record<string, string[]>;
}

export interface PreferenceSourceRow {
  item_id: string;
  system: string | null;
  prompt: { role: 'user' | 'assistant'; content: string }[];
  candidates: Record<string, string>;
  rankings: RankingSource[];
}

/** Rows straight from a Postgres cursor, BATCH at a time: memory does not grow with the export. */
async function* cursorRows<T>(client: pg.Client, sql: string, values: unknown[]): AsyncGenerator<T> {
  const cursor = client.query(new Cursor<T>(sql, values));
  try {
    for (;;) {
      const rows = await cursor.read(BATCH);
      if (rows.length === 0) return;
      yield* rows;
    }
  } finally {
    await cursor.close();
  }
}

const UNSAFE_ITEM = `EXISTS (SELECT 1 FROM "Ranking" ur, jsonb_each(ur.flags) AS uf(candidate, list)
                             WHERE ur."itemId" = i.id AND ur.status <> 'INVALID' AND uf.list ? 'unsafe')`;

function unsafeClause(unsafe: ExportOptions['unsafe']): string {
  if (unsafe === 'exclude') return `AND NOT ${UNSAFE_ITEM}`;
  if (unsafe === 'only') return `AND ${UNSAFE_ITEM}`;
  return '';
}

/** Demonstrations to export: the latest revision of each, filtered as asked, in id order. */
export function sftRows(client: pg.Client, projectId: string, options: ExportOptions): AsyncGenerator<SftSourceRow> {
  const statuses = options.reviewStatus === 'approved' ? ['APPROVED'] : ['SUBMITTED', 'APPROVED'];
  return cursorRows<SftSourceRow>(
    client,
    `SELECT d.id, d."itemId" AS item_id, d."authorId" AS author_id, i.system, i.messages AS prompt, d.messages AS reply,
            d."isRefusal" AS is_refusal, g.version AS guideline, d.status::text AS status
     FROM "Demonstration" d
     JOIN "Item" i ON i.id = d."itemId"
     LEFT JOIN "Guideline" g ON g.id = d."guidelineId"
     WHERE i."projectId" = $1
       AND d.status::text = ANY($2)
       AND NOT EXISTS (SELECT 1 FROM "Demonstration" newer WHERE newer."revisesId" = d.id)
       AND ($3::timestamptz IS NULL OR d."createdAt" >= $3)
       AND ($4::timestamptz IS NULL OR d."createdAt" < $4)
       AND ($5::int[] IS NULL OR g.version = ANY($5))
       AND ($6 OR NOT d."isRefusal")
       ${unsafeClause(options.unsafe)}
     ORDER BY d.id`,
    [projectId, statuses, options.from ?? null, options.to ?? null, options.guidelineVersions ?? null, options.refusals === 'include'],
  );
}

/** Items with their candidates and every valid ranking (filtered as asked), one row per item. */
export function preferenceRows(client: pg.Client, projectId: string, options: ExportOptions): AsyncGenerator<PreferenceSourceRow> {
  return cursorRows<PreferenceSourceRow>(
    client,
    `SELECT i.id AS item_id, i.system, i.messages AS prompt,
            (SELECT jsonb_object_agg(c.id, c.content) FROM "Candidate" c WHERE c."itemId" = i.id) AS candidates,
            jsonb_agg(jsonb_build_object(
              'rankingId', r.id, 'author', r."authorId", 'tiers', r.tiers, 'allBad', r."allBad",
              'reply', coalesce((SELECT rev.messages FROM "Demonstration" rev WHERE rev."revisesId" = d.id
                                   ORDER BY rev."createdAt" DESC LIMIT 1), d.messages)->0->>'content',
              'replyIsRefusal', d."isRefusal",
              'guideline', g.version, 'ratings', r.ratings, 'flags', r.flags) ORDER BY r.id) AS rankings
     FROM "Item" i
     JOIN "Ranking" r ON r."itemId" = i.id AND r.status <> 'INVALID'
     LEFT JOIN "Guideline" g ON g.id = r."guidelineId"
     -- The labeler's own reply after "all bad": unless a reviewer rejected it, and as revised if it was.
     LEFT JOIN "Demonstration" d ON d."assignmentId" = r."assignmentId" AND d."fromAllBad" AND d.status <> 'REJECTED'
     WHERE i."projectId" = $1
       AND ($2::timestamptz IS NULL OR r."createdAt" >= $2)
       AND ($3::timestamptz IS NULL OR r."createdAt" < $3)
       AND ($4::int[] IS NULL OR g.version = ANY($4))
       ${unsafeClause(options.unsafe)}
     GROUP BY i.id
     ORDER BY i.id`,
    [projectId, options.from ?? null, options.to ?? null, options.guidelineVersions ?? null],
  );
}
