import type { Tx } from '../db.ts';

/*
 * How guideline rows are numbered. A project has published versions 1…n (immutable rows with
 * publishedAt set) and at most one draft (publishedAt null), which always holds a number above
 * every published one, n + 1 in practice. Publishing gives the new version n + 1: the draft
 * itself when the draft is what gets published, otherwise a new row, after the draft is moved
 * up to n + 2 so that it stays the "next" version and (projectId, version) stays unique.
 * Everything that numbers or renumbers rows first locks the project row, so concurrent
 * publishers and draft savers of one project run one after another.
 */

/** Serialises writers of one project's guideline rows until the transaction ends. */
export async function lockProjectGuidelines(tx: Tx, projectId: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM "Project" WHERE id = ${projectId} FOR UPDATE`;
}

/** The highest published version number, 0 when nothing is published yet. */
export async function highestPublishedVersion(tx: Tx, projectId: string): Promise<number> {
  const last = await tx.guideline.aggregate({
    where: { projectId, publishedAt: { not: null } },
    _max: { version: true },
  });
  return last._max.version ?? 0;
}

/**
 * Moves the project's draft (if any) above `version`, so that a new published row can take
 * that number. Only drafts are ever renumbered; published rows are never touched.
 */
export async function moveDraftAbove(tx: Tx, projectId: string, version: number): Promise<void> {
  await tx.guideline.updateMany({
    where: { projectId, publishedAt: null, version: { lte: version } },
    data: { version: version + 1 },
  });
}
