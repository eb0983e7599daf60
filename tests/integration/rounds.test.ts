import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../lib/errors.ts';
import { authenticateApiToken } from '../../lib/auth/api-tokens.ts';
import { endpointForCall } from '../../lib/generation/endpoints.ts';
import { roundModelEndpoint } from '../../lib/rounds/model-endpoint.ts';
import { listRounds, roundExportChoices, startRound } from '../../lib/rounds/rounds.ts';
import { domainError, freshDatabase, type TestDatabase } from './database.ts';

/*
 * Two rounds of the loop on one project, with training runs as the training module leaves them:
 *   round 1 starts from export E1; an SFT run (trained on an SFT export) is the start of a
 *   reward model and a DPO policy trained on E1. The DPO policy writes candidates.
 *   round 2 starts from export E2; a second DPO policy trained on E2 from the same SFT run.
 * Labelers rank: on items with imported + round-1 candidates, and items with round-1 + round-2.
 */
describe('rounds', () => {
  let t: TestDatabase;
  let adminId: string;
  let labelerId: string;
  let projectId: string;
  let otherProjectId: string;
  const exports: Record<'sft' | 'e1' | 'e2' | 'e3' | 'running' | 'foreign', string> = {} as never;
  const runs: Record<'sft' | 'rm1' | 'rm1old' | 'dpo1' | 'dpo2' | 'loose', string> = {} as never;

  const exportRun = async (kind: 'SFT' | 'PREFERENCE', rows: number, status: 'SUCCEEDED' | 'RUNNING' = 'SUCCEEDED', project = projectId) =>
    (await t.db.exportRun.create({ data: { projectId: project, kind, format: kind === 'SFT' ? 'messages' : 'trl', rows, status, guidelineVersions: [1] } })).id;

  const trainingRun = async (kind: 'SFT' | 'REWARD' | 'DPO', exportRunId: string, extra: Record<string, unknown> = {}) =>
    (
      await t.db.trainingRun.create({
        data: { projectId, exportRunId, kind, status: 'SUCCEEDED', ...extra },
      })
    ).id;

  async function item(externalId: string, answers: { content: string; origin: 'IMPORT' | 'BUNDLED' | 'ENDPOINT'; model?: string }[]) {
    const created = await t.db.item.create({
      data: { projectId, externalId, messages: [{ role: 'user', content: externalId }], candidates: { create: answers.map((a) => ({ ...a, model: a.model ?? 'imported' })) } },
      include: { candidates: { orderBy: { content: 'asc' } } },
    });
    return { id: created.id, c: Object.fromEntries(created.candidates.map((c) => [c.content, c.id])) as Record<string, string> };
  }
  const rank = (itemId: string, tiers: string[][], status: 'SUBMITTED' | 'INVALID' = 'SUBMITTED') => t.db.ranking.create({ data: { itemId, authorId: labelerId, tiers, status } });

  beforeAll(async () => {
    t = await freshDatabase();
    adminId = (await t.db.user.create({ data: { email: 'admin@test.local', name: 'Admin', role: 'ADMIN', passwordHash: 'x' } })).id;
    labelerId = (await t.db.user.create({ data: { email: 'l@test.local', name: 'L', role: 'LABELER', passwordHash: 'x' } })).id;
    projectId = (await t.db.project.create({ data: { slug: 'loop', name: 'Loop' } })).id;
    otherProjectId = (await t.db.project.create({ data: { slug: 'other', name: 'Other' } })).id;

    exports.sft = await exportRun('SFT', 40);
    exports.e1 = await exportRun('PREFERENCE', 120);
    exports.e2 = await exportRun('PREFERENCE', 310);
    exports.e3 = await exportRun('PREFERENCE', 400);
    exports.running = await exportRun('PREFERENCE', 0, 'RUNNING');
    exports.foreign = await exportRun('PREFERENCE', 99, 'SUCCEEDED', otherProjectId);

    runs.sft = await trainingRun('SFT', exports.sft, { summary: { eval: { tokens: 900, loss: 5.1 } } });
    runs.rm1old = await trainingRun('REWARD', exports.e1, { initRunId: runs.sft, createdAt: new Date(Date.now() - 60_000), summary: { eval: { pairs: 12, accuracy: 0.5, meanMargin: 0 } } });
    runs.rm1 = await trainingRun('REWARD', exports.e1, { initRunId: runs.sft, summary: { eval: { pairs: 12, accuracy: 0.625, meanMargin: 0.2 } } });
    runs.dpo1 = await trainingRun('DPO', exports.e1, { initRunId: runs.sft, summary: { eval: { pairs: 12, accuracy: 0.58, meanMargin: 0.11 } } });
    // Round 2's DPO policy is still training: its newest logged evaluation stands in for now.
    runs.dpo2 = await trainingRun('DPO', exports.e2, { initRunId: runs.sft, status: 'RUNNING', latest: { progress: null, eval: { type: 'eval', step: 20, trainLoss: 1, pairs: 30, accuracy: 0.6, meanMargin: 0.25 } } });
    // A model nobody started a round from: its candidates are in no comparison.
    runs.loose = await trainingRun('SFT', exports.e3);

    // Imported and external candidates vs round 1's policy.
    const a = await item('a', [{ content: 'imp', origin: 'IMPORT' }, { content: 'new', origin: 'BUNDLED', model: runs.dpo1 }]);
    await rank(a.id, [[a.c.new!], [a.c.imp!]]);
    await rank(a.id, [[a.c.new!, a.c.imp!]]);
    const b = await item('b', [{ content: 'ext', origin: 'ENDPOINT', model: 'gpt-x' }, { content: 'new', origin: 'BUNDLED', model: runs.dpo1 }]);
    await rank(b.id, [[b.c.new!], [b.c.ext!]]);
    await rank(b.id, [[b.c.ext!], [b.c.new!]]);
    // A ranking a reviewer found invalid counts for nothing.
    await rank(b.id, [[b.c.ext!], [b.c.new!]], 'INVALID');
    // Round 1's SFT start also wrote one candidate, never ranked yet.
    await item('c', [{ content: 'sft', origin: 'BUNDLED', model: runs.sft }]);
    // Round 2 (dpo2) against round 1 (dpo1) and the loose model: dpo2 beats dpo1 once; the loose model is ignored.
    const d = await item('d', [
      { content: 'old', origin: 'BUNDLED', model: runs.dpo1 },
      { content: 'newer', origin: 'BUNDLED', model: runs.dpo2 },
      { content: 'odd', origin: 'BUNDLED', model: runs.loose },
    ]);
    await rank(d.id, [[d.c.odd!], [d.c.newer!], [d.c.old!]]);
  });
  afterAll(() => t.close());

  it('offers only finished preference exports of the project that start no round yet', async () => {
    const choices = await roundExportChoices(t.db, projectId);
    expect(choices.map((c) => c.id).sort()).toEqual([exports.e1, exports.e2, exports.e3].sort());
  });

  it('numbers rounds 1, 2 … and refuses an SFT export, an unfinished one, another project\'s, and the same export twice', async () => {
    expect((await domainError(startRound(t.db, adminId, projectId, { exportRunId: exports.sft }))).message).toMatch(/^exportRunId: a round starts from a preference export/);
    expect((await domainError(startRound(t.db, adminId, projectId, { exportRunId: exports.running }))).message).toMatch(/has not finished \(running\)/);
    expect((await domainError(startRound(t.db, adminId, projectId, { exportRunId: exports.foreign }))).status).toBe(404);
    expect(await startRound(t.db, adminId, projectId, { exportRunId: exports.e1 })).toMatchObject({ number: 1 });
    const twice = await domainError(startRound(t.db, adminId, projectId, { exportRunId: exports.e1 }));
    expect([twice.status, twice.message]).toEqual([409, 'exportRunId: round 1 already starts from this export.']);
    expect(await startRound(t.db, adminId, projectId, { exportRunId: exports.e2 })).toMatchObject({ number: 2 });
    expect(await t.db.auditLog.count({ where: { action: 'round.start', actorId: adminId } })).toBe(2);
    expect((await roundExportChoices(t.db, projectId)).map((c) => c.id)).toEqual([exports.e3]);
  });

  it('shows round over round: pairs, reward accuracy, DPO margin, the model to generate with, and its win rate with the count', async () => {
    const [one, two, ...rest] = await listRounds(t.db, projectId);
    expect(rest).toEqual([]);
    expect(one).toMatchObject({
      number: 1,
      export: { id: exports.e1, rows: 120 },
      reward: { id: runs.rm1, accuracy: 0.625, pairs: 12 },
      dpo: { id: runs.dpo1, meanMargin: 0.11 },
      model: { id: runs.dpo1, kind: 'DPO' },
      // dpo1 wrote 3 candidates (items a, b, d), the SFT start 1 (item c); 3 of them are ranked.
      candidates: { written: 4, ranked: 3 },
      // a: win + tie; b: win + loss; d: dpo1 is round 1's, the loose model is in no round → nothing.
      winRate: { wins: 2, ties: 1, losses: 1, comparisons: 4, rate: 2.5 / 4 },
    });
    expect(one!.runs.map((r) => r.id).sort()).toEqual([runs.sft, runs.rm1, runs.rm1old, runs.dpo1].sort());
    expect(two).toMatchObject({
      number: 2,
      export: { id: exports.e2, rows: 310 },
      reward: null,
      dpo: { id: runs.dpo2, status: 'RUNNING', meanMargin: 0.25 },
      // The running policy is not a model to generate with yet, and the shared SFT start is round 1's.
      model: null,
      candidates: { written: 1, ranked: 1 },
      winRate: { wins: 1, ties: 0, losses: 0, comparisons: 1, rate: 1 },
    });
  });

  it("registers a round's model as an endpoint on this server's /v1 with a token that may only call models, once", async () => {
    const secret = 'a-test-secret-of-at-least-32-characters!!';
    const [one] = await listRounds(t.db, projectId);
    const first = await roundModelEndpoint(t.db, adminId, projectId, one!.id, 'http://127.0.0.1:3999', { secret });
    expect(first).toMatchObject({ created: true, endpoint: { name: `Round 1 · DPO · ${runs.dpo1}` } });
    const call = await endpointForCall(t.db, first.endpoint.id, { secret });
    expect(call.endpoint).toMatchObject({ baseUrl: 'http://127.0.0.1:3999/v1', model: runs.dpo1 });
    expect((await authenticateApiToken(t.db, `Bearer ${call.endpoint.apiKey}`, 'inference')).userId).toBe(adminId);
    await expect(authenticateApiToken(t.db, `Bearer ${call.endpoint.apiKey}`, 'export')).rejects.toMatchObject({ status: 403 });
    // Asked again: the same endpoint, no second token.
    const tokens = await t.db.apiToken.count();
    expect(await roundModelEndpoint(t.db, adminId, projectId, one!.id, 'http://127.0.0.1:3999', { secret })).toEqual({ created: false, endpoint: first.endpoint });
    expect(await t.db.apiToken.count()).toBe(tokens);
    // Another project's round is not found from this one.
    expect((await domainError(roundModelEndpoint(t.db, adminId, otherProjectId, one!.id, 'http://127.0.0.1:3999', { secret }))).status).toBe(404);
  });

  it('repairs the endpoint in place when its token was revoked or it was switched off, revoking a key it replaces', async () => {
    const secret = 'a-test-secret-of-at-least-32-characters!!';
    const [one] = await listRounds(t.db, projectId);
    const first = await roundModelEndpoint(t.db, adminId, projectId, one!.id, 'http://127.0.0.1:3999', { secret });
    const key = async () => (await endpointForCall(t.db, first.endpoint.id, { secret })).endpoint.apiKey;
    const revoked = await key();
    const { tokenId } = await authenticateApiToken(t.db, `Bearer ${revoked}`, 'inference');
    await t.db.apiToken.update({ where: { id: tokenId }, data: { revokedAt: new Date() } });
    expect(await roundModelEndpoint(t.db, adminId, projectId, one!.id, 'http://127.0.0.1:3999', { secret })).toEqual({ created: false, endpoint: first.endpoint });
    const fresh = await key();
    expect(fresh).not.toBe(revoked);
    expect((await authenticateApiToken(t.db, `Bearer ${fresh}`, 'inference')).userId).toBe(adminId);

    // Switched off with a working key, and the server moved: on again at the new address, the old key revoked.
    await t.db.modelEndpoint.update({ where: { id: first.endpoint.id }, data: { active: false } });
    expect(await roundModelEndpoint(t.db, adminId, projectId, one!.id, 'http://127.0.0.1:4000', { secret })).toEqual({ created: false, endpoint: first.endpoint });
    const moved = await endpointForCall(t.db, first.endpoint.id, { secret });
    expect(moved.endpoint.baseUrl).toBe('http://127.0.0.1:4000/v1');
    await expect(authenticateApiToken(t.db, `Bearer ${fresh}`, 'inference')).rejects.toMatchObject({ status: 401 });
    expect(await t.db.modelEndpoint.count({ where: { model: runs.dpo1 } })).toBe(1);
  });

  it('refuses to register a model for a round that has none, or at a metadata address, leaving no token behind', async () => {
    const secret = 'a-test-secret-of-at-least-32-characters!!';
    // A round whose export nothing was trained on yet.
    const bare = await startRound(t.db, adminId, projectId, { exportRunId: await exportRun('PREFERENCE', 7) });
    const none = await domainError(roundModelEndpoint(t.db, adminId, projectId, bare.id, 'http://127.0.0.1:3999', { secret }));
    expect([none.status, none.message]).toEqual([409, `Round ${bare.number} has no finished SFT or DPO run of its own to generate with yet.`]);
    const [, two] = await listRounds(t.db, projectId);
    const tokens = await t.db.apiToken.count({ where: { revokedAt: null } });
    await expect(roundModelEndpoint(t.db, adminId, projectId, two!.id, 'http://169.254.169.254', { secret })).rejects.toBeInstanceOf(DomainError);
    expect(await t.db.apiToken.count({ where: { revokedAt: null } })).toBe(tokens);
    // Two admins click at once: whichever way their steps interleave, one endpoint and one live
    // token come of it (a token minted for a save that lost the race is revoked).
    await t.db.trainingRun.update({ where: { id: runs.dpo2 }, data: { status: 'SUCCEEDED' } });
    try {
      const clicks = await Promise.allSettled([1, 2].map(() => roundModelEndpoint(t.db, adminId, projectId, two!.id, 'http://127.0.0.1:3999', { secret })));
      expect(clicks.some((click) => click.status === 'fulfilled')).toBe(true);
      expect(await t.db.modelEndpoint.count({ where: { model: runs.dpo2 } })).toBe(1);
      expect(await t.db.apiToken.count({ where: { revokedAt: null } })).toBe(tokens + 1);
    } finally {
      await t.db.trainingRun.update({ where: { id: runs.dpo2 }, data: { status: 'RUNNING' } });
    }
    await t.db.round.delete({ where: { id: bare.id } });
  });

  it('lists no rounds for a project that has none', async () => {
    expect(await listRounds(t.db, otherProjectId)).toEqual([]);
  });
});
