import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rankedItems } from '../../lib/review/ranked-items.ts';
import { seedDemo } from '../../lib/seed/demo.ts';
import { loadCheckpoint } from '../../lib/training/checkpoint.ts';
import { rewardDisagreements } from '../../lib/training/reward-disagreements.ts';
import { train } from '../../lib/training/train.ts';
import { freshDatabase, type TestDatabase } from './database.ts';

let t: TestDatabase;
let dir: string;
const colours = ['red', 'green', 'blue', 'yellow', 'purple'];
const polite = (i: number) => `Thank you for asking, it is ${colours[i % 5]}.`;
const rude = (i: number) => `No. Go away ${colours[(i + 1) % 5]}.`;

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
    const labeler = await t.db.user.findUniqueOrThrow({ where: { email: 'labeler@feedloop.local' } });
    const project = await t.db.project.create({ data: { slug: 'qa', name: 'QA' } });
    const rankings: Record<string, string> = {};
    for (let i = 30; i < 36; i++) {
      const item = await t.db.item.create({ data: { projectId: project.id, externalId: `q${i}`, messages: [{ role: 'user', content: `Question ${i}: what colour is the sky?` }], source: 'test' } });
      const good = await t.db.candidate.create({ data: { itemId: item.id, content: polite(i) } });
      const bad = await t.db.candidate.create({ data: { itemId: item.id, content: rude(i) } });
      // Item 33 is ranked backwards; item 35 too, but a reviewer already marked it invalid.
      const backwards = i === 33 || i === 35;
      const ranking = await t.db.ranking.create({
        data: { itemId: item.id, authorId: labeler.id, tiers: backwards ? [[bad.id], [good.id]] : [[good.id], [bad.id]], status: i === 35 ? 'INVALID' : 'SUBMITTED' },
      });
      rankings[`q${i}`] = ranking.id;
    }
    const items = await rankedItems(t.db, project.id);
    expect(items).toHaveLength(5);
    const found = rewardDisagreements(loadCheckpoint(path.join(dir, 'rm')), items);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ rankingId: rankings.q33, labelerId: labeler.id });
    expect(found[0]!.margin).toBeLessThan(0);
  });
});
