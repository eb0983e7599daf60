import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportOptions } from '../../lib/export/options.ts';
import { exportToDirectory, streamExport } from '../../lib/export/run.ts';
import { parseHHRecord } from '../../lib/formats/hh.ts';
import { parseMessagesRecord } from '../../lib/formats/messages.ts';
import { parseOpenAIPreferenceRecord, parseTrlConversationalRecord, parseTrlStandardRecord } from '../../lib/formats/preference.ts';
import { importFile } from '../../lib/import/import-file.ts';
import { seedDemo } from '../../lib/seed/demo.ts';
import { freshDatabase, type TestDatabase } from './database.ts';

const HH = path.resolve(import.meta.dirname, '../../../shared/datasets/hh-rlhf-harmless-sample.jsonl');

let t: TestDatabase;
let out: string;
let hhProjectId: string;
let demoProjectId: string;

const readJsonl = (file: string) =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

async function runExport(projectId: string, raw: Record<string, unknown>, name: string) {
  const dir = path.join(out, name);
  const result = await exportToDirectory(t.db, t.url, { projectId, options: exportOptions.parse(raw), outDir: dir });
  return { ...result, dir };
}

beforeAll(async () => {
  t = await freshDatabase();
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'feedloop-export-'));
  await seedDemo(t.db);
  demoProjectId = (await t.db.project.findUniqueOrThrow({ where: { slug: 'demo' } })).id;
  const labeler = await t.db.user.findUniqueOrThrow({ where: { email: 'labeler@feedloop.local' } });

  // The HH sample, with the original preference recorded as a labeler's ranking of each item.
  const project = await t.db.project.create({ data: { slug: 'hh', name: 'HH', members: { create: { userId: labeler.id } } } });
  hhProjectId = project.id;
  await importFile(t.db, { projectId: project.id, format: 'hh', path: HH, skipBadLines: true });
  const items = await t.db.item.findMany({ where: { projectId: project.id }, select: { id: true, goldAnswer: true } });
  await t.db.ranking.createMany({
    data: items.map((item) => ({
      itemId: item.id,
      authorId: labeler.id,
      tiers: (item.goldAnswer as { tiers: string[][] }).tiers,
      ratings: {},
    })),
  });
}, 120_000);

afterAll(async () => {
  await t.close();
  fs.rmSync(out, { recursive: true, force: true });
});

describe('exports on real data', () => {
  it('round-trips HH-RLHF: the export reproduces every input record that forms a valid pair', async () => {
    const result = await runExport(hhProjectId, { kind: 'preference', format: 'hh' }, 'hh');
    const exported = readJsonl(path.join(result.dir, 'train.jsonl')).map((r) => JSON.stringify(r)).sort();
    const input = fs
      .readFileSync(HH, 'utf8')
      .split('\n')
      .filter(Boolean)
      .filter((line) => {
        try {
          parseHHRecord(JSON.parse(line));
          return true;
        } catch {
          return false;
        }
      })
      .map((line) => JSON.stringify(JSON.parse(line)))
      .sort();
    expect(input.length).toBe(1495);
    expect(exported).toEqual(input);
  });

  it('writes TRL standard lines with exactly prompt, chosen and rejected strings', async () => {
    const result = await runExport(hhProjectId, { kind: 'preference', format: 'trl' }, 'trl');
    const rows = readJsonl(path.join(result.dir, 'train.jsonl'));
    expect(rows).toHaveLength(1495);
    for (const row of rows) {
      expect(Object.keys(row).sort()).toEqual(['chosen', 'prompt', 'rejected']);
      expect([typeof row.prompt, typeof row.chosen, typeof row.rejected]).toEqual(['string', 'string', 'string']);
    }
  });

  it('writes a manifest whose checksums match the files, and records the run', async () => {
    const result = await runExport(hhProjectId, { kind: 'preference', format: 'openai', testFraction: 0.1, seed: 3 }, 'openai');
    const manifest = JSON.parse(fs.readFileSync(path.join(result.dir, 'manifest.json'), 'utf8'));
    expect(manifest.files.map((f: { name: string }) => f.name)).toEqual(['train.jsonl', 'test.jsonl']);
    for (const file of manifest.files) {
      const content = fs.readFileSync(path.join(result.dir, file.name));
      expect(crypto.createHash('sha256').update(content).digest('hex')).toBe(file.sha256);
      expect(content.toString('utf8').split('\n').filter(Boolean)).toHaveLength(file.rows);
    }
    expect(manifest).toMatchObject({ kind: 'preference', format: 'openai', split: { seed: 3, testFraction: 0.1 }, rows: 1495 });
    const run = await t.db.exportRun.findUniqueOrThrow({ where: { id: result.runId } });
    expect(run).toMatchObject({ status: 'SUCCEEDED', rows: 1495, seed: 3 });
  });
});

describe('every format re-parses with its parser', () => {
  const cases = [
    { format: 'trl', parse: parseTrlStandardRecord },
    { format: 'trl-conversational', parse: parseTrlConversationalRecord },
    { format: 'openai', parse: parseOpenAIPreferenceRecord },
    { format: 'hh', parse: parseHHRecord },
  ] as const;

  it.each(cases)('$format (demo project: system prompts, multi-turn, ties, all-bad)', async ({ format, parse }) => {
    const result = await runExport(demoProjectId, { kind: 'preference', format }, `demo-${format}`);
    const rows = readJsonl(path.join(result.dir, 'train.jsonl'));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const item = parse(row);
      expect(item.candidates).toHaveLength(2);
      expect(item.messages.at(-1)!.role).toBe('user');
    }
  });

  it('SFT messages: every conversation ends with an assistant turn and re-parses', async () => {
    const result = await runExport(demoProjectId, { kind: 'sft', format: 'messages', metadata: true }, 'demo-sft');
    const rows = readJsonl(path.join(result.dir, 'train.jsonl'));
    expect(rows.length).toBe(4);
    for (const row of rows) {
      const messages = row.messages as { role: string }[];
      expect(messages.at(-1)!.role).toBe('assistant');
      expect(parseMessagesRecord(row).candidates).toHaveLength(1);
      expect(row.metadata).toMatchObject({ source: 'demonstration', guideline_version: 1 });
      expect(String((row.metadata as { annotator: string }).annotator)).toMatch(/^ann_[0-9a-f]{12}$/);
    }
  });
});

describe('splits', () => {
  it('are the same for the same seed, and no item is in both files', async () => {
    const a = await runExport(hhProjectId, { kind: 'preference', format: 'trl-conversational', testFraction: 0.2, seed: 11, metadata: true }, 'split-a');
    const b = await runExport(hhProjectId, { kind: 'preference', format: 'trl-conversational', testFraction: 0.2, seed: 11, metadata: true }, 'split-b');
    const ids = (dir: string, name: string) => new Set(readJsonl(path.join(dir, name)).map((r) => (r.metadata as { item_id: string }).item_id));
    const trainA = ids(a.dir, 'train.jsonl');
    const testA = ids(a.dir, 'test.jsonl');
    expect([...testA].filter((id) => trainA.has(id))).toEqual([]);
    expect(testA.size / (testA.size + trainA.size)).toBeGreaterThan(0.15);
    expect(fs.readFileSync(path.join(a.dir, 'test.jsonl'))).toEqual(fs.readFileSync(path.join(b.dir, 'test.jsonl')));
  });
});

describe('aggregation and filters', () => {
  it('aggregates three labelers by majority and filters by agreement', async () => {
    const project = await t.db.project.create({ data: { slug: 'agg', name: 'Agg' } });
    const item = await t.db.item.create({
      data: { projectId: project.id, externalId: 'x', messages: [{ role: 'user', content: 'Pick one' }], candidates: { create: [{ content: 'good' }, { content: 'bad' }] } },
      include: { candidates: true },
    });
    const [good, bad] = item.candidates.sort((x, y) => x.content.localeCompare(y.content)).reverse();
    const users = await Promise.all(
      ['u1', 'u2', 'u3'].map((name) => t.db.user.create({ data: { email: `${name}@agg.test`, name, passwordHash: 'x' } })),
    );
    const votes = [[[good!.id], [bad!.id]], [[good!.id], [bad!.id]], [[bad!.id], [good!.id]]];
    await t.db.ranking.createMany({ data: users.map((user, i) => ({ itemId: item.id, authorId: user.id, tiers: votes[i]! })) });

    const majority = await runExport(project.id, { kind: 'preference', format: 'trl-conversational', mode: 'aggregate', metadata: true }, 'agg');
    const rows = readJsonl(path.join(majority.dir, 'train.jsonl'));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.chosen).toEqual([{ role: 'assistant', content: 'good' }]);
    expect(rows[0]!.metadata).toMatchObject({ agreement: 0.6667, votes: 2, labelers: 3 });

    const strict = await runExport(project.id, { kind: 'preference', format: 'trl-conversational', mode: 'aggregate', minAgreement: 0.8 }, 'agg-strict');
    expect(strict.rows).toBe(0);
    const perLabeler = await runExport(project.id, { kind: 'preference', format: 'trl-conversational' }, 'agg-each');
    expect(perLabeler.rows).toBe(3);
  });

  it('streams the same rows over HTTP as it writes to files', async () => {
    const options = exportOptions.parse({ kind: 'preference', format: 'hh', testFraction: 0.1, seed: 5 });
    let lines = 0;
    for await (const line of streamExport(t.url, hhProjectId, options, 'test')) {
      expect(line.endsWith('\n')).toBe(true);
      lines += 1;
    }
    const result = await runExport(hhProjectId, { kind: 'preference', format: 'hh', testFraction: 0.1, seed: 5 }, 'stream-compare');
    expect(lines).toBe(result.files.find((f) => f.name === 'test.jsonl')!.rows);
  });

  it('refuses a format that does not fit the kind', () => {
    expect(exportOptions.safeParse({ kind: 'sft', format: 'hh' }).success).toBe(false);
    expect(exportOptions.safeParse({ kind: 'preference', format: 'messages' }).success).toBe(false);
  });
});
