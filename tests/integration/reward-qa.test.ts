import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { rankedItems } from '../../lib/review/ranked-items.ts';
import { claimJob } from '../../lib/jobs/queue.ts';
import { disagreementsFrom, type RankedItem } from '../../lib/review/disagreements.ts';
import { findRewardDisagreements, type RewardQaReport } from '../../lib/review/reward-qa.ts';
import { executeRewardScoring, type ScoringView } from '../../lib/review/reward-scoring.ts';
import { inference, type Inference } from '../../lib/serving/inference.ts';
import { seedDemo } from '../../lib/seed/demo.ts';
import { loadCheckpoint } from '../../lib/training/checkpoint.ts';
import { scoreCandidates } from '../../lib/training/candidate-rewards.ts';
import { train } from '../../lib/training/train.ts';
import { freshDatabase, type TestDatabase } from './database.ts';

// The real access guard runs; only the session cookie is stood in for.
const session = vi.hoisted(() => ({ userId: '' }));
vi.mock('next-auth', async (importOriginal) => ({
  ...(await importOriginal<typeof import('next-auth')>()),
  getServerSession: async () => (session.userId ? { user: { id: session.userId, signedInAt: Date.now() } } : null),
}));

let t: TestDatabase;
let dir: string;

/** Rewards of the items' candidates scored in this process with the trained reward model, beside the ones handed in. */
function inProcess(items: RankedItem[], rewards = new Map<string, number>()): Map<string, number> {
  expect(scoreCandidates(loadCheckpoint(path.join(dir, 'rm')), items, rewards)).toBe(true);
  return rewards;
}
const colours = ['red', 'green', 'blue', 'yellow', 'purple'];
const polite = (i: number) => `Thank you for asking, it is ${colours[i % 5]}.`;
const rude = (i: number) => `No. Go away ${colours[(i + 1) % 5]}.`;

/** A project of six items, each ranked once by the demo labeler; q33 and q35 backwards, q35 already invalidated. */
async function rankedProject(slug: string) {
  const labeler = await t.db.user.findUniqueOrThrow({ where: { email: 'labeler@feedloop.local' } });
  const project = await t.db.project.create({ data: { slug, name: slug.toUpperCase() } });
  const rankings: Record<string, string> = {};
  for (let i = 30; i < 36; i++) {
    const item = await t.db.item.create({ data: { projectId: project.id, externalId: `q${i}`, messages: [{ role: 'user', content: `Question ${i}: what colour is the sky?` }], source: 'test' } });
    const good = await t.db.candidate.create({ data: { itemId: item.id, content: polite(i) } });
    const bad = await t.db.candidate.create({ data: { itemId: item.id, content: rude(i) } });
    const backwards = i === 33 || i === 35;
    const ranking = await t.db.ranking.create({
      data: { itemId: item.id, authorId: labeler.id, tiers: backwards ? [[bad.id], [good.id]] : [[good.id], [bad.id]], status: i === 35 ? 'INVALID' : 'SUBMITTED' },
    });
    rankings[`q${i}`] = ranking.id;
  }
  return { project, labeler, rankings };
}

beforeAll(async () => {
  t = await freshDatabase();
  await seedDemo(t.db);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'feedloop-rmqa-'));
  const pairs = Array.from({ length: 24 }, (_, i) => ({
    prompt: [{ role: 'user', content: `Question ${i}: what colour is the sky?` }],
    chosen: [{ role: 'assistant', content: polite(i) }],
    rejected: [{ role: 'assistant', content: rude(i) }],
  }));
  fs.writeFileSync(path.join(dir, 'pairs.jsonl'), pairs.map((p) => JSON.stringify(p)).join('\n'));
  const tiny = { vocabSize: 300, contextLength: 48, layers: 1, width: 32, heads: 2, batchSize: 4, warmupSteps: 0, evalEvery: 1000 };
  const result = await train({ method: 'reward', data: path.join(dir, 'pairs.jsonl'), out: path.join(dir, 'rm'), config: { ...tiny, steps: 40, learningRate: 3e-3 }, threads: 1 });
  expect(result.metrics.at(-1)?.accuracy).toBe(1);
}, 120_000);

afterAll(async () => {
  await t?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('reward-model QA', () => {
  it('puts first the submitted ranking the reward model disagrees with, and leaves out invalidated ones', async () => {
    // Item 33 is ranked backwards; item 35 too, but a reviewer already marked it invalid.
    const { project, labeler, rankings } = await rankedProject('qa');
    const items = await rankedItems(t.db, project.id);
    expect(items).toHaveLength(5);
    const found = disagreementsFrom(items, inProcess(items));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ rankingId: rankings.q33, labelerId: labeler.id });
    expect(found[0]!.margin).toBeLessThan(0);
  });
});

describe('scoring in the inference worker', () => {
  it('gives the rewards scoring in-process gives, over items scored a slice at a time, and they find the backwards rankings', async () => {
    // 40 items × 2 candidates: several slices; every third one ranked backwards, and one with a tie.
    const items: RankedItem[] = Array.from({ length: 40 }, (_, i) => ({
      itemId: `item${i}`,
      prompt: [{ role: 'user', content: `Question ${i}: what colour is the sky?` }],
      candidates: new Map([
        [`good${i}`, polite(i)],
        [`bad${i}`, rude(i)],
      ]),
      rankings: [{ rankingId: `r${i}`, labelerId: 'l', tiers: i === 4 ? [[`good${i}`, `bad${i}`]] : i % 3 === 0 ? [[`bad${i}`], [`good${i}`]] : [[`good${i}`], [`bad${i}`]] }],
    }));
    const expected = inProcess(items);
    const scored = await inference().rewards(path.join(dir, 'rm'), items);
    expect([...scored.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [id, reward] of scored) expect(reward).toBeCloseTo(expected.get(id)!, 4);
    const found = disagreementsFrom(items, scored, 10);
    expect(found).toHaveLength(10);
    expect(found.every((d) => Number(d.rankingId.slice(1)) % 3 === 0)).toBe(true);
    expect(found.map((d) => d.rankingId)).toEqual(disagreementsFrom(items, expected, 10).map((d) => d.rankingId));

    // Rewards handed in are used as they are, and only the others are computed.
    const rewards = new Map([
      ['good0', -10],
      ['bad0', 10],
    ]);
    const withKnown = disagreementsFrom(items, inProcess(items, rewards), 50);
    expect(withKnown.map((d) => d.rankingId)).not.toContain('r0');
    expect(found.map((d) => d.rankingId)).toContain('r0');
    expect(rewards.size).toBe(80);
    expect(rewards.get('good0')).toBe(-10);
  });
});

describe('the reward-model QA screen’s route', () => {
  const previousUrl = process.env.DATABASE_URL;
  let fixture: Awaited<ReturnType<typeof rankedProject>>;
  let reviewerId: string;
  let olderRunId: string;
  let newestRunId: string;
  let otherProjectRunId: string;
  let sftRunId: string;

  const summary = (accuracy: number) => ({ method: 'reward', step: 40, finished: true, parameters: 1000, baseline: { bagOfWordsAccuracy: 0.5 }, eval: { pairs: 4, accuracy, meanMargin: 1 } });
  /** Carries out the queued scoring as the worker would, counting the candidates sent to the model. */
  const runScoring = async (options: { stopping?: boolean } = {}) => {
    const job = await claimJob(t.db, 'RewardScoringRun');
    expect(job).not.toBeNull();
    let sent = 0;
    const counting = { rewards: (checkpoint, items, signal) => ((sent += items.reduce((n, item) => n + item.candidates.size, 0)), inference().rewards(checkpoint, items, signal)) } as Inference;
    const stopping = new AbortController();
    if (options.stopping) stopping.abort();
    await executeRewardScoring({ db: t.db, job: job!, heartbeatMs: 5000, stopping: stopping.signal, abort: new AbortController().signal, log: () => {} }, { inference: counting });
    return sent;
  };
  const post = async (body: object, as?: string) => {
    session.userId = as ?? reviewerId;
    const { POST } = await import('../../app/api/review/projects/[slug]/reward-qa/route.ts');
    const response = await POST(new NextRequest('http://localhost/api/review/projects/rmqa/reward-qa', { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }), {
      params: Promise.resolve({ slug: 'rmqa' }),
    });
    return { status: response.status, json: (await response.json()) as { scoring: ScoringView; error?: string; field?: string } };
  };
  const get = async (query = '', as?: string) => {
    session.userId = as ?? reviewerId;
    const { GET } = await import('../../app/api/review/projects/[slug]/reward-qa/route.ts');
    const response = await GET(new NextRequest(`http://localhost/api/review/projects/rmqa/reward-qa${query}`), { params: Promise.resolve({ slug: 'rmqa' }) });
    return { status: response.status, json: (await response.json()) as RewardQaReport & { error?: string; field?: string; message?: string } };
  };

  beforeAll(async () => {
    process.env.DATABASE_URL = t.url;
    (globalThis as { feedloopDb?: unknown }).feedloopDb = t.db;
    fixture = await rankedProject('rmqa');
    const reviewer = await t.db.user.findUniqueOrThrow({ where: { email: 'reviewer@feedloop.local' } });
    reviewerId = reviewer.id;
    await t.db.projectMember.create({ data: { projectId: fixture.project.id, userId: reviewer.id } });
    const other = await t.db.project.create({ data: { slug: 'elsewhere', name: 'Elsewhere' } });
    const checkpointPath = path.join(dir, 'rm');
    const run = (data: object, minutesAgo: number) =>
      t.db.trainingRun.create({ data: { kind: 'REWARD', status: 'SUCCEEDED', checkpointPath, createdAt: new Date(Date.now() - minutesAgo * 60_000), ...data } });
    olderRunId = (await run({ projectId: fixture.project.id, summary: summary(0.75) }, 30)).id;
    newestRunId = (await run({ projectId: fixture.project.id, summary: summary(1) }, 10)).id;
    // Newer than both, but trained on another project's export: never this project's default.
    otherProjectRunId = (await run({ projectId: other.id, summary: summary(1) }, 1)).id;
    sftRunId = (await run({ projectId: fixture.project.id, kind: 'SFT' }, 5)).id;
  });

  afterAll(() => {
    delete (globalThis as { feedloopDb?: unknown }).feedloopDb;
    if (previousUrl === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = previousUrl;
  });

  it('scores the project’s rankings with its newest reward model as a job, once, and joins what a reviewer needs', async () => {
    const before = await get();
    expect(before.status, before.json.message).toBe(200);
    expect(before.json.run).toMatchObject({ id: newestRunId, accuracy: 1, baselineAccuracy: 0.5, heldOutPairs: 4 });
    // q35 is invalid already: five ranked items of two candidates, none scored yet.
    expect(before.json).toMatchObject({ unscored: 10, rankings: 5, rankingsScored: 0, scoring: null, disagreements: [] });

    const started = await post({});
    expect(started).toMatchObject({ status: 202, json: { scoring: { status: 'QUEUED', total: 0, done: 0 } } });
    // Pressed twice: the same scoring, not a second one.
    expect((await post({})).json.scoring.id).toBe(started.json.scoring.id);
    expect(await runScoring()).toBe(10);

    const { status, json } = await get();
    expect(status, json.message).toBe(200);
    expect(json.scoring).toMatchObject({ id: started.json.scoring.id, status: 'SUCCEEDED', total: 10, done: 10 });
    expect(json).toMatchObject({ unscored: 0, rankings: 5, rankingsScored: 5 });
    expect(json.disagreements).toHaveLength(1);
    const row = json.disagreements[0]!;
    expect(row).toMatchObject({
      rankingId: fixture.rankings.q33,
      href: `/review/items/${row.itemId}`,
      prompt: 'Question 33: what colour is the sky?',
      labeler: { id: fixture.labeler.id, name: fixture.labeler.name, email: 'labeler@feedloop.local' },
      own: false,
      labelerPreferred: { text: rude(33) },
      modelPreferred: { text: polite(33) },
    });
    expect(row.margin).toBeLessThan(0);
    expect(row.margin).toBeCloseTo(row.labelerPreferred.reward - row.modelPreferred.reward, 5);
    const ranking = await t.db.ranking.findUniqueOrThrow({ where: { id: row.rankingId } });
    expect(row.rankedAt).toBe(ranking.createdAt.toISOString());
  });

  it('uses another of the project’s reward models when asked, and refuses other runs naming the field', async () => {
    // Rewards are per model: the older one has scored nothing yet.
    expect((await get(`?runId=${olderRunId}`)).json).toMatchObject({ run: { id: olderRunId, accuracy: 0.75 }, unscored: 10, scoring: null });
    expect(await post({ runId: otherProjectRunId })).toMatchObject({ status: 404, json: { field: 'runId' } });
    expect(await post({ runId: sftRunId })).toMatchObject({ status: 400, json: { error: 'not_a_reward_model' } });

    const elsewhere = await get(`?runId=${otherProjectRunId}`);
    expect(elsewhere).toMatchObject({ status: 404, json: { error: 'reward_run_not_found', field: 'runId' } });
    expect(elsewhere.json.message).toMatch(/^runId: /);
    expect(await get(`?runId=${sftRunId}`)).toMatchObject({ status: 400, json: { error: 'not_a_reward_model', field: 'runId' } });
    expect(await get('?runId=..%2Fetc')).toMatchObject({ status: 400, json: { error: 'invalid_input', field: 'runId' } });
    expect(await get('?limit=0')).toMatchObject({ status: 400, json: { error: 'invalid_input', field: 'limit' } });
    expect(await get('?colour=blue')).toMatchObject({ status: 400, json: { error: 'invalid_input' } });
  });

  it('is closed to labelers, to reviewers outside the project, and to nobody signed in', async () => {
    expect(await get('', fixture.labeler.id)).toMatchObject({ status: 403, json: { error: 'forbidden' } });
    expect((await post({}, fixture.labeler.id)).status).toBe(403);
    const outsider = await t.db.user.create({ data: { email: 'outsider@feedloop.local', name: 'Outsider', role: 'REVIEWER', passwordHash: 'x' } });
    expect(await get('', outsider.id)).toMatchObject({ status: 403, json: { error: 'not_a_member' } });
    expect((await get('', '')).status).toBe(401);
  });

  it('leaves a ranking out once a reviewer has invalidated it from the row', async () => {
    const before = await get();
    const rankingId = before.json.disagreements[0]!.rankingId;
    const { POST } = await import('../../app/api/review/rankings/[id]/invalidate/route.ts');
    const invalidated = await POST(
      new NextRequest(`http://localhost/api/review/rankings/${rankingId}/invalidate`, { method: 'POST', body: JSON.stringify({ reason: 'ranked backwards' }), headers: { 'content-type': 'application/json' } }),
      { params: Promise.resolve({ id: rankingId }) },
    );
    expect(invalidated.status).toBe(200);
    const after = await get();
    expect(after.json.rankingsScored).toBe(4);
    expect(after.json.disagreements).toEqual([]);
  });

  it('says so when the project has no reward model', async () => {
    const reviewer = { id: reviewerId, role: 'REVIEWER' as const };
    await t.db.projectMember.create({ data: { projectId: (await t.db.project.findUniqueOrThrow({ where: { slug: 'qa' } })).id, userId: reviewerId } });
    await expect(findRewardDisagreements(t.db, reviewer, 'qa', {})).rejects.toMatchObject({ code: 'no_reward_model', status: 404, field: 'runId' });
  });

  it('hands a scoring back when its worker stops, and the next one scores only what is left; new candidates are scored later', async () => {
    await post({ runId: olderRunId });
    // A worker shutting down before the first batch: the row goes back to the queue.
    expect(await runScoring({ stopping: true })).toBe(0);
    expect((await get(`?runId=${olderRunId}`)).json.scoring).toMatchObject({ status: 'QUEUED' });
    // One candidate already has its reward (as if scored before a crash): nine are left.
    const candidate = await t.db.candidate.findFirstOrThrow({ where: { item: { projectId: fixture.project.id, externalId: 'q30' } } });
    await t.db.candidateReward.create({ data: { trainingRunId: olderRunId, candidateId: candidate.id, reward: 0.5 } });
    expect(await runScoring()).toBe(7);
    expect((await get(`?runId=${olderRunId}`)).json).toMatchObject({ unscored: 0, scoring: { status: 'SUCCEEDED', total: 8, done: 8 } });
  });

  it('stops a scoring when a reviewer asks, for reviewers of the project only', async () => {
    const { scoring } = (await post({ runId: newestRunId })).json;
    const cancel = async (id: string, as?: string) => {
      session.userId = as ?? reviewerId;
      const { POST } = await import('../../app/api/review/projects/[slug]/reward-qa/scoring/[id]/cancel/route.ts');
      const response = await POST(new NextRequest(`http://localhost/api/review/projects/rmqa/reward-qa/scoring/${id}/cancel`, { method: 'POST' }), {
        params: Promise.resolve({ slug: 'rmqa', id }),
      });
      return { status: response.status, json: (await response.json()) as { scoring: ScoringView; error?: string } };
    };
    expect((await cancel(scoring.id, fixture.labeler.id)).status).toBe(403);
    expect(await cancel('no-such-scoring')).toMatchObject({ status: 404 });
    // Queued, so it ends at once; no worker will take it up.
    expect(await cancel(scoring.id)).toMatchObject({ status: 200, json: { scoring: { id: scoring.id, status: 'CANCELLED' } } });
    expect(await cancel(scoring.id)).toMatchObject({ status: 409, json: { error: 'not_running' } });
    expect(await claimJob(t.db, 'RewardScoringRun')).toBeNull();
  });
});
