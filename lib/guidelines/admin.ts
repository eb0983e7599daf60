import crypto from 'node:crypto';
import { z } from 'zod';
import { recordAudit } from '../audit.ts';
import type { Db, Queryable, Tx } from '../db.ts';
import { DomainError } from '../errors.ts';
import type { Role } from '../auth/roles.ts';
import { changeCounts, sideBySide, type SideBySideRow } from './side-by-side.ts';
import { GUIDELINE_BODY_MAX, GUIDELINE_TITLE_MAX } from './limits.ts';
import { GUIDELINE_TEMPLATE_BODY, GUIDELINE_TEMPLATE_TITLE } from './template.ts';
import { highestPublishedVersion, lockProjectGuidelines, moveDraftAbove } from './versions.ts';

// ---------------------------------------------------------------------------------------------
// Input
// ---------------------------------------------------------------------------------------------

export { GUIDELINE_BODY_MAX, GUIDELINE_TITLE_MAX };

const titleField = z
  .string('must be text')
  .trim()
  .min(1, 'must not be empty')
  .max(GUIDELINE_TITLE_MAX, `must be at most ${GUIDELINE_TITLE_MAX} characters`);

// Line endings are stored as \n, whatever the browser or file sent, so that diffs compare lines.
const bodyField = z
  .string('must be text')
  .transform((text) => text.replace(/\r\n?/g, '\n'))
  .pipe(
    z
      .string()
      .max(GUIDELINE_BODY_MAX, `must be at most ${GUIDELINE_BODY_MAX.toLocaleString('en')} characters`)
      .refine((text) => text.trim().length > 0, 'must not be empty'),
  );

/** A guideline's text as the editor sends it (saving a draft). */
export const guidelineContentInput = z.object({ title: titleField, body: bodyField });
export type GuidelineContent = z.infer<typeof guidelineContentInput>;

/**
 * Publishing: the editor's text (which replaces the draft's), or nothing to publish the saved
 * draft as it is. `baseVersion` is the latest published version the editor was opened on
 * (0 for none); when someone published in the meantime, publishing is refused.
 */
export const publishInput = z
  .object({
    title: titleField.optional(),
    body: bodyField.optional(),
    baseVersion: z.number('must be a number').int('must be a whole number').min(0, 'must be 0 or more').optional(),
  })
  .superRefine((value, ctx) => {
    if ((value.title === undefined) !== (value.body === undefined)) {
      const missing = value.title === undefined ? 'title' : 'body';
      ctx.addIssue({ code: 'custom', path: [missing], message: 'send both title and body, or neither to publish the saved draft' });
    }
  });
export type PublishInput = z.infer<typeof publishInput>;

const versionNumber = z.coerce.number('must be a version number').int('must be a whole number').min(1, 'must be 1 or more');
/** Which two published versions to compare (query string of the compare route). */
export const compareInput = z.object({ left: versionNumber, right: versionNumber });

// ---------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------

export interface GuidelineProject {
  id: string;
  slug: string;
  name: string;
}

export interface PersonRef {
  id: string;
  name: string;
  email: string;
}

export interface PublishedGuideline {
  id: string;
  version: number;
  title: string;
  body: string;
  publishedAt: Date;
}

export interface GuidelineDraft {
  id: string;
  /** The number it will get if published now. */
  version: number;
  title: string;
  body: string;
  savedAt: Date;
  savedBy: PersonRef | null;
}

export interface GuidelineEditorState {
  latest: PublishedGuideline | null;
  draft: GuidelineDraft | null;
  /** The version number that publishing now creates. */
  nextVersion: number;
  /** What the editor opens with: the draft, else the latest version, else the template. */
  start: { title: string; body: string; source: 'draft' | 'latest' | 'template' };
}

export interface GuidelineVersionRow {
  id: string;
  version: number;
  title: string;
  publishedAt: Date;
  author: PersonRef | null;
  acknowledgements: number;
}

export interface VersionRef {
  version: number;
  title: string;
  publishedAt: Date;
}

export interface GuidelineComparison {
  left: VersionRef;
  right: VersionRef;
  rows: SideBySideRow[];
  removed: number;
  added: number;
}

export interface AcknowledgementReport {
  latestVersion: number | null;
  /** Active project members. */
  members: number;
  /** Published versions, newest first, each with who acknowledged it, earliest first. */
  versions: (VersionRef & { acks: { user: PersonRef; acknowledgedAt: Date }[] })[];
  /** Active project members who have not acknowledged the latest version, with the newest one they did. */
  notAcknowledged: { user: PersonRef; role: Role; lastVersion: number | null }[];
}

const person = { select: { id: true, name: true, email: true } } as const;
const publishedView = { id: true, version: true, title: true, body: true, publishedAt: true } as const;

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

/** The project with this slug, for admins (who see every project); 404 when there is none. */
async function latestPublishedFull(db: Queryable, projectId: string): Promise<PublishedGuideline | null> {
  const row = await db.guideline.findFirst({
    where: { projectId, publishedAt: { not: null } },
    orderBy: { version: 'desc' },
    select: publishedView,
  });
  return row as PublishedGuideline | null;
}

async function findDraft(db: Queryable, projectId: string): Promise<GuidelineDraft | null> {
  const row = await db.guideline.findFirst({
    where: { projectId, publishedAt: null },
    select: { id: true, version: true, title: true, body: true, createdAt: true, author: person },
  });
  if (!row) return null;
  // Drafts are updated in place; the audit log knows when and by whom it was last saved.
  const lastSave = await db.auditLog.findFirst({
    where: { action: 'guideline.draft_save', entityType: 'Guideline', entityId: row.id },
    orderBy: { createdAt: 'desc' },
    select: { createdAt: true },
  });
  return {
    id: row.id,
    version: row.version,
    title: row.title,
    body: row.body,
    savedAt: lastSave?.createdAt ?? row.createdAt,
    savedBy: row.author,
  };
}

/** Everything the editor needs: the latest published version, the draft, and where to start. */
export async function guidelineEditorState(db: Queryable, projectId: string): Promise<GuidelineEditorState> {
  const [latest, draft] = await Promise.all([latestPublishedFull(db, projectId), findDraft(db, projectId)]);
  const start = draft
    ? { title: draft.title, body: draft.body, source: 'draft' as const }
    : latest
      ? { title: latest.title, body: latest.body, source: 'latest' as const }
      : { title: GUIDELINE_TEMPLATE_TITLE, body: GUIDELINE_TEMPLATE_BODY, source: 'template' as const };
  return { latest, draft, nextVersion: (latest?.version ?? 0) + 1, start };
}

/** Published versions, newest first, with their author and how many people acknowledged each. */
export async function guidelineHistory(db: Queryable, projectId: string): Promise<GuidelineVersionRow[]> {
  const rows = await db.guideline.findMany({
    where: { projectId, publishedAt: { not: null } },
    orderBy: { version: 'desc' },
    select: { id: true, version: true, title: true, publishedAt: true, author: person, _count: { select: { acks: true } } },
  });
  return rows.map(({ _count, publishedAt, ...row }) => ({ ...row, publishedAt: publishedAt!, acknowledgements: _count.acks }));
}

/** Two published versions side by side: removed lines on the left, added on the right. */
export async function compareGuidelineVersions(
  db: Queryable,
  projectId: string,
  input: z.infer<typeof compareInput>,
): Promise<GuidelineComparison> {
  const rows = await db.guideline.findMany({
    where: { projectId, publishedAt: { not: null }, version: { in: [input.left, input.right] } },
    select: { version: true, title: true, body: true, publishedAt: true },
  });
  const pick = (side: 'left' | 'right') => {
    const row = rows.find((r) => r.version === input[side]);
    if (!row) throw new DomainError('unknown_version', `${side}: there is no published version ${input[side]}.`, 404, side);
    return row;
  };
  const left = pick('left');
  const right = pick('right');
  const diff = sideBySide(left.body, right.body);
  const ref = (row: typeof left): VersionRef => ({ version: row.version, title: row.title, publishedAt: row.publishedAt! });
  return { left: ref(left), right: ref(right), rows: diff, ...changeCounts(diff) };
}

/** Who acknowledged which version, and which members still have to read the latest one. */
export async function guidelineAcknowledgements(db: Queryable, projectId: string): Promise<AcknowledgementReport> {
  const [versions, members] = await Promise.all([
    db.guideline.findMany({
      where: { projectId, publishedAt: { not: null } },
      orderBy: { version: 'desc' },
      select: {
        version: true,
        title: true,
        publishedAt: true,
        acks: { select: { acknowledgedAt: true, user: person }, orderBy: { acknowledgedAt: 'asc' } },
      },
    }),
    db.projectMember.findMany({
      where: { projectId, user: { active: true } },
      orderBy: { user: { email: 'asc' } },
      select: {
        role: true,
        user: {
          select: {
            id: true,
            name: true,
            email: true,
            acks: {
              where: { guideline: { projectId, publishedAt: { not: null } } },
              orderBy: { guideline: { version: 'desc' } },
              take: 1,
              select: { guideline: { select: { version: true } } },
            },
          },
        },
      },
    }),
  ]);
  const latestVersion = versions[0]?.version ?? null;
  const notAcknowledged =
    latestVersion === null
      ? []
      : members
          .map(({ role, user: { acks, ...user } }) => ({ user, role, lastVersion: acks[0]?.guideline.version ?? null }))
          .filter((member) => member.lastVersion !== latestVersion);
  return {
    latestVersion,
    members: members.length,
    versions: versions.map((v) => ({ version: v.version, title: v.title, publishedAt: v.publishedAt!, acks: v.acks })),
    notAcknowledged,
  };
}

// ---------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------

/** What the audit log keeps of a text: enough to tell versions apart without copying 100 kB each save. */
function auditSummary(row: { version: number; title: string; body: string }) {
  return {
    version: row.version,
    title: row.title,
    bodyChars: row.body.length,
    bodySha256: crypto.createHash('sha256').update(row.body).digest('hex'),
  };
}

/**
 * Saves the editor's text as the project's one draft: creates it, or updates it in place.
 * The draft always holds the next version number; published rows are never touched.
 */
export async function saveGuidelineDraft(
  db: Db,
  input: { projectId: string; actorId: string } & GuidelineContent,
): Promise<GuidelineDraft> {
  const { projectId, actorId, title, body } = input;
  const saved = await db.$transaction(async (tx) => {
    await lockProjectGuidelines(tx, projectId);
    const version = (await highestPublishedVersion(tx, projectId)) + 1;
    const existing = await tx.guideline.findFirst({
      where: { projectId, publishedAt: null },
      select: { id: true, version: true, title: true, body: true },
    });
    const data = { version, title, body, authorId: actorId };
    const row = existing
      ? await tx.guideline.update({ where: { id: existing.id, publishedAt: null }, data, select: { id: true } })
      : await tx.guideline.create({ data: { ...data, projectId }, select: { id: true } });
    await recordAudit(tx, {
      actorId,
      action: 'guideline.draft_save',
      entityType: 'Guideline',
      entityId: row.id,
      ...(existing ? { before: auditSummary(existing) } : {}),
      after: auditSummary({ version, title, body }),
    });
    return row;
  });
  const draft = await findDraft(db, projectId);
  if (!draft || draft.id !== saved.id) throw new Error('the saved draft vanished');
  return draft;
}

/**
 * Publishes a new immutable version numbered after the highest published one: the draft
 * (with the editor's text, when sent) or, without a draft, the editor's text as a new row.
 */
export async function publishGuidelineDraft(
  db: Db,
  input: { projectId: string; actorId: string } & PublishInput,
): Promise<PublishedGuideline> {
  const { projectId, actorId, baseVersion } = input;
  return db.$transaction(async (tx) => {
    await lockProjectGuidelines(tx, projectId);
    const latest = await latestPublishedFull(tx, projectId);
    const latestVersion = latest?.version ?? 0;
    if (baseVersion !== undefined && baseVersion !== latestVersion) {
      throw new DomainError(
        'stale_version',
        `Version ${latestVersion} was published while you were editing. Save your text as a draft, reload the page and check what changed before publishing.`,
        409,
      );
    }
    const draft = await tx.guideline.findFirst({
      where: { projectId, publishedAt: null },
      select: { id: true, version: true, title: true, body: true },
    });
    const content = input.title !== undefined && input.body !== undefined ? { title: input.title, body: input.body } : draft;
    if (!content) throw new DomainError('nothing_to_publish', 'There is no draft to publish; write the guideline first.', 409);
    if (latest && latest.title === content.title && latest.body === content.body) {
      throw new DomainError('unchanged', `This text is the same as version ${latest.version}; change something before publishing.`, 409);
    }

    const version = latestVersion + 1;
    const data = { version, title: content.title, body: content.body, authorId: actorId, publishedAt: new Date() };
    const published = draft
      ? await tx.guideline.update({ where: { id: draft.id, publishedAt: null }, data, select: publishedView })
      : await createPublished(tx, projectId, data);
    await recordAudit(tx, {
      actorId,
      action: 'guideline.publish',
      entityType: 'Guideline',
      entityId: published.id,
      ...(draft ? { before: { ...auditSummary(draft), draft: true } } : {}),
      after: { ...auditSummary(published), ...(latest ? { previousVersion: latest.version } : {}) },
    });
    return published as PublishedGuideline;
  });
}

async function createPublished(tx: Tx, projectId: string, data: { version: number; title: string; body: string; authorId: string; publishedAt: Date }) {
  await moveDraftAbove(tx, projectId, data.version);
  return tx.guideline.create({ data: { ...data, projectId }, select: publishedView });
}
