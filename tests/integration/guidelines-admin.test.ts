import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../lib/db.ts';
import { DomainError } from '../../lib/errors.ts';
import {
  compareGuidelineVersions,
  guidelineAcknowledgements,
  guidelineEditorState,
  guidelineHistory,
  publishGuidelineDraft,
  saveGuidelineDraft,
} from '../../lib/guidelines/admin.ts';
import { requireProject } from '../../lib/projects/admin.ts';
import { acknowledgeGuideline, guidelineGate, latestPublished, publishGuideline } from '../../lib/guidelines/gate.ts';
import { GUIDELINE_TEMPLATE_BODY } from '../../lib/guidelines/template.ts';
import { freshDatabase, type TestDatabase } from './database.ts';

interface Fixture {
  project: { id: string; slug: string };
  admin: { id: string };
  labelers: { id: string; email: string }[];
}

/** A project with an admin and two labelers, members all, and no guideline yet. */
async function createFixture(db: Db): Promise<Fixture> {
  const admin = await db.user.create({ data: { email: 'admin@gl.test', name: 'Ada Admin', passwordHash: 'x', role: 'ADMIN' } });
  const labelers = [];
  for (const name of ['Lee', 'Mo']) {
    labelers.push(await db.user.create({ data: { email: `${name.toLowerCase()}@gl.test`, name, passwordHash: 'x' } }));
  }
  const project = await db.project.create({
    data: {
      slug: 'gl',
      name: 'Guidelines',
      members: { create: [{ userId: admin.id, role: 'ADMIN' }, ...labelers.map((l) => ({ userId: l.id }))] },
    },
  });
  return { project, admin, labelers };
}

async function expectDomainError(promise: Promise<unknown>, code: string, status: number) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  expect(error).toMatchObject({ code, status });
  return error as DomainError;
}

const rows = (db: Db, projectId: string) =>
  db.guideline.findMany({ where: { projectId }, orderBy: { version: 'asc' }, select: { id: true, version: true, title: true, body: true, publishedAt: true } });

describe('admin guideline editing', () => {
  let t: TestDatabase;
  let db: Db;
  let f: Fixture;
  beforeEach(async () => {
    t = await freshDatabase();
    db = t.db;
    f = await createFixture(db);
  });
  afterEach(() => t.close());

  const save = (title: string, body: string) => saveGuidelineDraft(db, { projectId: f.project.id, actorId: f.admin.id, title, body });
  const publish = (input: { title?: string; body?: string; baseVersion?: number } = {}) =>
    publishGuidelineDraft(db, { projectId: f.project.id, actorId: f.admin.id, ...input });

  it('finds the project by slug and answers 404 for an unknown one', async () => {
    expect(await requireProject(db, 'gl')).toMatchObject({ id: f.project.id, name: 'Guidelines' });
    await expectDomainError(requireProject(db, 'nope'), 'not_found', 404);
  });

  it('starts a project without a guideline from the template', async () => {
    const state = await guidelineEditorState(db, f.project.id);
    expect(state).toMatchObject({ latest: null, draft: null, nextVersion: 1, start: { source: 'template', body: GUIDELINE_TEMPLATE_BODY } });
    for (const heading of ['## Helpful', '## Truthful', '## Harmless', '### A good reply', '### A good refusal', '### A hallucination']) {
      expect(state.start.body).toContain(heading);
    }
  });

  it('keeps one draft: saving twice updates the same row', async () => {
    const first = await save('Draft', 'One.');
    const second = await save('Draft, again', 'Two.');
    expect(second.id).toBe(first.id);
    expect(await rows(db, f.project.id)).toEqual([{ id: first.id, version: 1, title: 'Draft, again', body: 'Two.', publishedAt: null }]);
    const state = await guidelineEditorState(db, f.project.id);
    expect(state.draft).toMatchObject({ id: first.id, version: 1, title: 'Draft, again', body: 'Two.', savedBy: { email: 'admin@gl.test' } });
    expect(state.start).toEqual({ title: 'Draft, again', body: 'Two.', source: 'draft' });
    // A draft is invisible to labelers.
    expect(await latestPublished(db, f.project.id)).toBeNull();
    expect(await guidelineGate(db, f.labelers[0]!.id, f.project.id)).toEqual({ status: 'none' });
  });

  it('publishes the draft as version n + 1 and never changes a published version afterwards', async () => {
    const draft = await save('Rules', '## Helpful\n- Answer.');
    const v1 = await publish({ baseVersion: 0 });
    expect(v1).toMatchObject({ id: draft.id, version: 1, title: 'Rules', body: '## Helpful\n- Answer.' });
    expect(v1.publishedAt).toBeInstanceOf(Date);

    // The next save starts a new draft (version 2); version 1 stays exactly as published.
    const before = await rows(db, f.project.id);
    const next = await save('Rules', '## Helpful\n- Answer.\n- Briefly.');
    expect(next.id).not.toBe(v1.id);
    expect(next.version).toBe(2);
    await save('Rules v2', '## Helpful\n- Answer briefly.');
    const after = await rows(db, f.project.id);
    expect(after[0]).toEqual(before[0]);
    expect(after).toHaveLength(2);
    expect(after[1]).toMatchObject({ version: 2, title: 'Rules v2', publishedAt: null });

    const v2 = await publish({ title: 'Rules v2', body: '## Helpful\n- Answer briefly.\n- Cite sources.', baseVersion: 1 });
    expect(v2).toMatchObject({ id: next.id, version: 2, body: '## Helpful\n- Answer briefly.\n- Cite sources.' });
    expect((await rows(db, f.project.id))[0]).toEqual(before[0]);
    expect(await db.guideline.count({ where: { projectId: f.project.id, publishedAt: null } })).toBe(0);
    expect((await guidelineEditorState(db, f.project.id)).start.source).toBe('latest');
  });

  it("publishes the editor's text when there is no draft, and refuses when there is nothing new", async () => {
    await expectDomainError(publish(), 'nothing_to_publish', 409);
    const v1 = await publish({ title: 'Direct', body: 'Be kind.' });
    expect(v1.version).toBe(1);
    await expectDomainError(publish({ title: 'Direct', body: 'Be kind.' }), 'unchanged', 409);
    await save('Direct', 'Be kind.');
    await expectDomainError(publish(), 'unchanged', 409);
    expect((await rows(db, f.project.id)).map((r) => r.version)).toEqual([1, 2]);
  });

  it('refuses to publish over a version published since the editor was opened', async () => {
    await publish({ title: 'A', body: 'one' });
    const error = await expectDomainError(publish({ title: 'A', body: 'two', baseVersion: 0 }), 'stale_version', 409);
    expect(error.message).toContain('Version 1 was published');
    expect((await publish({ title: 'A', body: 'two', baseVersion: 1 })).version).toBe(2);
  });

  it('gives concurrent publishers distinct consecutive versions', async () => {
    await save('Draft', 'draft text');
    const results = await Promise.all([
      publish({ title: 'A', body: 'text a' }),
      publish({ title: 'B', body: 'text b' }),
      publishGuideline(db, { projectId: f.project.id, authorId: f.admin.id, title: 'C', body: 'text c' }),
      publishGuideline(db, { projectId: f.project.id, authorId: f.admin.id, title: 'D', body: 'text d' }),
    ]);
    expect(results.map((r) => r.version).sort()).toEqual([1, 2, 3, 4]);
    const stored = await rows(db, f.project.id);
    expect(stored.map((r) => r.version)).toEqual([1, 2, 3, 4]);
    expect(stored.every((r) => r.publishedAt !== null)).toBe(true);
  });

  it('concurrent first saves make one draft', async () => {
    await Promise.all([save('A', 'a'), save('B', 'b'), save('C', 'c')]);
    expect(await db.guideline.count({ where: { projectId: f.project.id } })).toBe(1);
  });

  it('lets publishGuideline publish past a draft, which stays the next version', async () => {
    await publish({ title: 'T', body: 'v1' });
    const draft = await save('T', 'draft for v2');
    expect(draft.version).toBe(2);
    const direct = await publishGuideline(db, { projectId: f.project.id, authorId: f.admin.id, title: 'T', body: 'direct v2' });
    expect(direct.version).toBe(2);
    const state = await guidelineEditorState(db, f.project.id);
    expect(state.draft).toMatchObject({ id: draft.id, version: 3, body: 'draft for v2' });
    expect(state.nextVersion).toBe(3);
    const published = await publish({ baseVersion: 2 });
    expect(published).toMatchObject({ id: draft.id, version: 3, body: 'draft for v2' });
    expect((await rows(db, f.project.id)).map((r) => [r.version, r.body])).toEqual([
      [1, 'v1'],
      [2, 'direct v2'],
      [3, 'draft for v2'],
    ]);
  });

  it('lists versions with author and acknowledgement counts, and compares any two side by side', async () => {
    await publish({ title: 'G', body: '## Helpful\n- Answer.\n## Harmless\n- Refuse harm.' });
    const [lee, mo] = f.labelers as [Fixture['labelers'][0], Fixture['labelers'][0]];
    const v1 = (await latestPublished(db, f.project.id))!;
    await acknowledgeGuideline(db, lee.id, f.project.id, v1.id);
    await acknowledgeGuideline(db, mo.id, f.project.id, v1.id);
    await publish({ title: 'G2', body: '## Helpful\n- Answer briefly.\n## Harmless\n- Refuse harm.\n- Offer an alternative.' });
    const v2 = (await latestPublished(db, f.project.id))!;
    await acknowledgeGuideline(db, lee.id, f.project.id, v2.id);

    const history = await guidelineHistory(db, f.project.id);
    expect(history.map((h) => [h.version, h.title, h.author?.name, h.acknowledgements])).toEqual([
      [2, 'G2', 'Ada Admin', 1],
      [1, 'G', 'Ada Admin', 2],
    ]);

    const comparison = await compareGuidelineVersions(db, f.project.id, { left: 1, right: 2 });
    expect(comparison).toMatchObject({ left: { version: 1, title: 'G' }, right: { version: 2, title: 'G2' }, removed: 1, added: 2 });
    expect(comparison.rows.map((r) => [r.kind, r.left?.text ?? null, r.right?.text ?? null])).toEqual([
      ['same', '## Helpful', '## Helpful'],
      ['changed', '- Answer.', '- Answer briefly.'],
      ['same', '## Harmless', '## Harmless'],
      ['same', '- Refuse harm.', '- Refuse harm.'],
      ['added', null, '- Offer an alternative.'],
    ]);
    // Any two, either way round.
    expect((await compareGuidelineVersions(db, f.project.id, { left: 2, right: 1 })).rows.at(-1)).toMatchObject({ kind: 'removed' });
    await expectDomainError(compareGuidelineVersions(db, f.project.id, { left: 1, right: 9 }), 'unknown_version', 404);
    // A draft is not a version to compare.
    await save('G3', 'draft');
    await expectDomainError(compareGuidelineVersions(db, f.project.id, { left: 1, right: 3 }), 'unknown_version', 404);
  });

  it('reports who acknowledged which version and who has not read the latest', async () => {
    expect(await guidelineAcknowledgements(db, f.project.id)).toEqual({ latestVersion: null, members: 3, versions: [], notAcknowledged: [] });
    const [lee, mo] = f.labelers as [Fixture['labelers'][0], Fixture['labelers'][0]];
    await publish({ title: 'G', body: 'one' });
    const v1 = (await latestPublished(db, f.project.id))!;
    await acknowledgeGuideline(db, lee.id, f.project.id, v1.id);
    await acknowledgeGuideline(db, mo.id, f.project.id, v1.id);
    await publish({ title: 'G', body: 'two' });
    const v2 = (await latestPublished(db, f.project.id))!;
    await acknowledgeGuideline(db, mo.id, f.project.id, v2.id);
    // A deactivated member is not waited for.
    const gone = await db.user.create({ data: { email: 'gone@gl.test', name: 'Gone', passwordHash: 'x', active: false } });
    await db.projectMember.create({ data: { projectId: f.project.id, userId: gone.id } });

    const report = await guidelineAcknowledgements(db, f.project.id);
    expect(report.latestVersion).toBe(2);
    expect(report.members).toBe(3);
    expect(report.versions.map((v) => [v.version, v.acks.map((a) => a.user.email)])).toEqual([
      [2, ['mo@gl.test']],
      [1, ['lee@gl.test', 'mo@gl.test']],
    ]);
    expect(report.versions[0]!.acks[0]!.acknowledgedAt).toBeInstanceOf(Date);
    expect(report.notAcknowledged.map((m) => [m.user.email, m.role, m.lastVersion])).toEqual([
      ['admin@gl.test', 'ADMIN', null],
      ['lee@gl.test', 'LABELER', 1],
    ]);
  });

  it("shows labelers the newly published version as needs_ack with the diff from the one they read", async () => {
    await publish({ title: 'G', body: '- Be helpful.' });
    const lee = f.labelers[0]!;
    const v1 = (await latestPublished(db, f.project.id))!;
    await acknowledgeGuideline(db, lee.id, f.project.id, v1.id);
    expect((await guidelineGate(db, lee.id, f.project.id)).status).toBe('acknowledged');

    await save('G', '- Be helpful.\n- Use metric units.');
    // Saving a draft changes nothing for labelers.
    expect((await guidelineGate(db, lee.id, f.project.id)).status).toBe('acknowledged');

    await publish({ baseVersion: 1 });
    const gate = await guidelineGate(db, lee.id, f.project.id);
    expect(gate.status).toBe('needs_ack');
    if (gate.status !== 'needs_ack') return;
    expect(gate.guideline).toMatchObject({ version: 2, body: '- Be helpful.\n- Use metric units.' });
    expect(gate.previous?.version).toBe(1);
    expect(gate.previous?.diff.filter((line) => line.kind !== 'same')).toEqual([{ kind: 'added', text: '- Use metric units.' }]);
  });

  it('writes an audit row for every save and publish, in the same transaction as the change', async () => {
    const draft = await save('A', 'one');
    await save('A', 'two');
    await publish();
    await publishGuideline(db, { projectId: f.project.id, authorId: f.admin.id, title: 'B', body: 'three' });
    const audit = await db.auditLog.findMany({ where: { entityType: 'Guideline' }, orderBy: { createdAt: 'asc' } });
    expect(audit.map((a) => [a.action, a.actorId])).toEqual([
      ['guideline.draft_save', f.admin.id],
      ['guideline.draft_save', f.admin.id],
      ['guideline.publish', f.admin.id],
      ['guideline.publish', f.admin.id],
    ]);
    expect(audit[0]).toMatchObject({ entityId: draft.id, before: null, after: { version: 1, title: 'A', bodyChars: 3 } });
    expect(audit[1]).toMatchObject({ before: { bodyChars: 3 }, after: { bodyChars: 3 } });
    expect((audit[1]!.before as { bodySha256: string }).bodySha256).not.toBe((audit[1]!.after as { bodySha256: string }).bodySha256);
    expect(audit[2]).toMatchObject({ entityId: draft.id, after: { version: 1, title: 'A' } });

    // A refused publish writes nothing.
    await expectDomainError(publish({ title: 'B', body: 'three' }), 'unchanged', 409);
    expect(await db.auditLog.count({ where: { entityType: 'Guideline' } })).toBe(4);
  });
});
