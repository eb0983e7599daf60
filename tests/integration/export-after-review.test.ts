import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportOptions } from '../../lib/export/options.ts';
import { exportToDirectory } from '../../lib/export/run.ts';
import { claimReview } from '../../lib/review/queue.ts';
import { submitVerdict } from '../../lib/review/verdicts.ts';
import { verdictInput } from '../../lib/review/schemas.ts';
import { seedDemo } from '../../lib/seed/demo.ts';
import { freshDatabase, type TestDatabase } from './database.ts';

describe('exporting reviewed demonstrations', () => {
  let t: TestDatabase;
  let out: string;
  beforeAll(async () => {
    t = await freshDatabase();
    await seedDemo(t.db);
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'feedloop-reviewed-'));
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(out, { recursive: true, force: true });
  });

  it('an approved-only SFT export holds the approved reply and the revised text, never the revised original or a rejected reply', async () => {
    const reviewer = await t.db.user.findUniqueOrThrow({ where: { email: 'reviewer@feedloop.local' } });
    const project = await t.db.project.findUniqueOrThrow({ where: { slug: 'demo' } });
    const verdicts = ['APPROVE', 'REVISE', 'REJECT'] as const;
    const originals: Record<string, string> = {};
    for (const verdict of verdicts) {
      const next = await claimReview(t.db, reviewer.id, 'demo');
      if (next.status !== 'task') throw new Error('expected a demonstration to review');
      const demonstration = await t.db.demonstration.findUniqueOrThrow({ where: { id: next.task.demonstration.id } });
      originals[verdict] = (demonstration.messages as { content: string }[])[0]!.content;
      const body =
        verdict === 'APPROVE'
          ? { verdict, clientKey: crypto.randomUUID() }
          : verdict === 'REJECT'
            ? { verdict, clientKey: crypto.randomUUID(), reason: 'Not what the guideline asks for.' }
            : { verdict, clientKey: crypto.randomUUID(), messages: [{ role: 'assistant', content: 'The reviewer’s corrected reply.' }] };
      await submitVerdict(t.db, reviewer.id, next.task.assignmentId, verdictInput.parse(body));
    }

    const dir = path.join(out, 'approved');
    await exportToDirectory(t.db, t.url, { projectId: project.id, options: exportOptions.parse({ kind: 'sft', format: 'messages', reviewStatus: 'approved' }), outDir: dir });
    const replies = fs
      .readFileSync(path.join(dir, 'train.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => (JSON.parse(line).messages as { role: string; content: string }[]).at(-1)!.content);
    expect(replies.sort()).toEqual([originals.APPROVE!, 'The reviewer’s corrected reply.'].sort());
    expect(replies).not.toContain(originals.REVISE);
    expect(replies).not.toContain(originals.REJECT);
  });
});
