import crypto from 'node:crypto';
import fs from 'node:fs';
import { recordAudit } from '../audit.ts';
import type { Db, Tx } from '../db.ts';
import { contentId, type ImportedItem } from '../formats/item.ts';
import { readRecords, type ImportFormat, type LineError, type ReadOptions } from './records.ts';

export interface ImportOptions extends ReadOptions {
  projectId: string;
  format: ImportFormat;
  path: string;
  skipBadLines?: boolean;
  actorId?: string | null;
  onProgress?: (progress: ImportProgress) => void;
}

export interface ImportProgress {
  phase: 'validate' | 'import';
  fraction: number;
  records: number;
}

export interface ImportSummary {
  imported: number;
  /** Records already in the project (same id or same content): re-importing changes nothing. */
  duplicates: number;
  /** Bad records left out because "skip bad lines" was chosen. */
  skipped: number;
  errors: LineError[];
  /** All bad records, even past the ones listed in `errors`. */
  errorCount: number;
}

// The first errors are listed in full; past that only the count grows, so memory stays bounded.
export const MAX_LISTED_ERRORS = 1000;
const BATCH = 500;

/**
 * Imports a file into a project in two streaming passes: the first checks every record and
 * collects what is wrong; the second (only when nothing is wrong, or bad lines are to be
 * skipped) inserts in batches inside one transaction, so an import lands whole or not at all.
 */
export async function importFile(db: Db, options: ImportOptions): Promise<ImportSummary> {
  const size = Math.max(1, fs.statSync(options.path).size);
  const report = (phase: ImportProgress['phase'], bytesRead: number, records: number) =>
    options.onProgress?.({ phase, fraction: Math.min(1, bytesRead / size), records });

  const errors: LineError[] = [];
  let errorCount = 0;
  let valid = 0;
  for await (const result of readRecords(options.path, options.format, options)) {
    if ('error' in result) {
      errorCount += 1;
      if (errors.length < MAX_LISTED_ERRORS) errors.push(result.error);
    } else valid += 1;
    if ((valid + errorCount) % 1000 === 0) report('validate', result.bytesRead, valid + errorCount);
  }
  report('validate', size, valid + errorCount);
  if (valid === 0 && errorCount === 0) {
    return { imported: 0, duplicates: 0, skipped: 0, errors: [{ line: 0, field: 'file', reason: 'the file has no records' }], errorCount: 1 };
  }
  if (errorCount > 0 && !options.skipBadLines) return { imported: 0, duplicates: 0, skipped: 0, errors, errorCount };

  const totals = await db.$transaction(
    async (tx) => {
      let imported = 0;
      let duplicates = 0;
      let seen = 0;
      let batch: ImportedItem[] = [];
      const flush = async () => {
        const inserted = await insertBatch(tx, options.projectId, batch);
        imported += inserted;
        duplicates += batch.length - inserted;
        batch = [];
      };
      for await (const result of readRecords(options.path, options.format, options)) {
        if ('error' in result) continue;
        batch.push(result.item);
        seen += 1;
        if (batch.length >= BATCH) {
          await flush();
          report('import', result.bytesRead, seen);
        }
      }
      if (batch.length) await flush();
      report('import', size, seen);
      await recordAudit(tx, {
        actorId: options.actorId ?? null,
        action: 'items.import',
        entityType: 'Project',
        entityId: options.projectId,
        after: { format: options.format, imported, duplicates, skipped: errorCount },
      });
      return { imported, duplicates };
    },
    { timeout: 60 * 60 * 1000, maxWait: 30_000 },
  );
  return { ...totals, skipped: errorCount, errors, errorCount };
}

/**
 * Inserts the records of one batch that the project does not have yet and returns how many.
 * One statement per batch, the rows passed as a single JSON parameter: the ORM's createMany
 * managed ~1,500 rows/s here, this does an order of magnitude more.
 */
async function insertBatch(tx: Tx, projectId: string, batch: ImportedItem[]): Promise<number> {
  const items: Record<string, unknown>[] = [];
  const candidates: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  for (const item of batch) {
    const externalId = item.externalId ?? contentId(item);
    if (seen.has(externalId)) continue;
    seen.add(externalId);
    const itemId = crypto.randomUUID();
    const candidateIds = item.candidates.map(() => crypto.randomUUID());
    item.candidates.forEach((candidate, i) =>
      candidates.push({ id: candidateIds[i], itemId, content: candidate.content, model: candidate.model }),
    );
    items.push({
      id: itemId,
      externalId,
      system: item.system,
      messages: item.messages,
      source: item.source,
      metadata: item.referenceReply ? { referenceReply: item.referenceReply } : {},
      goldAnswer: item.preferred
        ? { tiers: [[candidateIds[item.preferred.chosen]], [candidateIds[item.preferred.rejected]]], source: item.source }
        : null,
    });
  }
  // Records the project already has (same externalId) are skipped, and so are their candidates.
  const rows = await tx.$queryRaw<{ items: number }[]>`
    WITH inserted AS (
      INSERT INTO "Item" (id, "projectId", "externalId", system, messages, source, metadata, "goldAnswer")
      SELECT r.id, ${projectId}, r."externalId", r.system, r.messages, r.source, r.metadata, r."goldAnswer"
      FROM jsonb_to_recordset(${JSON.stringify(items)}::jsonb)
        AS r(id text, "externalId" text, system text, messages jsonb, source text, metadata jsonb, "goldAnswer" jsonb)
      ON CONFLICT ("projectId", "externalId") DO NOTHING
      RETURNING id
    ), candidates AS (
      INSERT INTO "Candidate" (id, "itemId", content, model, origin)
      SELECT c.id, c."itemId", c.content, c.model, 'IMPORT'
      FROM jsonb_to_recordset(${JSON.stringify(candidates)}::jsonb) AS c(id text, "itemId" text, content text, model text)
      WHERE c."itemId" IN (SELECT id FROM inserted)
      RETURNING id
    )
    SELECT (SELECT count(*) FROM inserted)::int AS items, (SELECT count(*) FROM candidates)::int AS candidates`;
  return rows[0]?.items ?? 0;
}
