import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile, type ImportSummary } from '../../lib/import/import-file.ts';
import type { ImportFormat } from '../../lib/import/records.ts';
import { freshDatabase, type TestDatabase } from './database.ts';

const DATASETS = path.resolve(import.meta.dirname, '../../../shared/datasets');
const HH = path.join(DATASETS, 'hh-rlhf-harmless-sample.jsonl');
const ALPACA = path.join(DATASETS, 'alpaca-sample.jsonl');

let t: TestDatabase;
let dir: string;
let projectSeq = 0;

beforeAll(async () => {
  t = await freshDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'feedloop-import-'));
});
afterAll(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function newProject() {
  projectSeq += 1;
  return t.db.project.create({ data: { slug: `import-${projectSeq}`, name: `Import ${projectSeq}` } });
}

function file(name: string, content: string | Buffer): string {
  const target = path.join(dir, name);
  fs.writeFileSync(target, content);
  return target;
}

async function run(projectId: string, format: ImportFormat, filePath: string, skipBadLines = false): Promise<ImportSummary> {
  return importFile(t.db, { projectId, format, path: filePath, skipBadLines });
}

describe('importing the real sample datasets', () => {
  it('turns HH-RLHF pairs into items with two candidates and the original preference, reporting records that cannot be pairs', async () => {
    const project = await newProject();
    const strict = await run(project.id, 'hh', HH);
    expect(strict.imported).toBe(0);
    expect(strict.errorCount).toBeGreaterThan(0);
    for (const error of strict.errors) {
      expect(error.line).toBeGreaterThan(0);
      expect(error.reason).toMatch(/same prompt|identical|empty/);
    }
    // The sample's one record whose two dialogues differ before the last answer (see its README).
    expect(strict.errors).toContainEqual({ line: 1255, field: 'rejected', reason: expect.stringMatching(/same prompt/) });
    expect(await t.db.item.count({ where: { projectId: project.id } })).toBe(0);

    const lenient = await run(project.id, 'hh', HH, true);
    expect(lenient.imported + lenient.skipped + lenient.duplicates).toBe(1500);
    expect(lenient.skipped).toBe(strict.errorCount);
    const items = await t.db.item.findMany({ where: { projectId: project.id }, include: { candidates: true } });
    expect(items.length).toBe(lenient.imported);
    for (const item of items.slice(0, 50)) {
      expect(item.candidates).toHaveLength(2);
      const gold = item.goldAnswer as { tiers: string[][] };
      const chosen = item.candidates.find((c) => c.id === gold.tiers[0]![0])!;
      expect(chosen.model).toBe('hh-rlhf:chosen');
      expect((item.messages as { role: string }[]).at(-1)!.role).toBe('user');
    }

    const again = await run(project.id, 'hh', HH, true);
    expect(again.imported).toBe(0);
    expect(await t.db.item.count({ where: { projectId: project.id } })).toBe(lenient.imported);
  });

  it('imports Alpaca with the output as a candidate, and a second import adds nothing', async () => {
    const project = await newProject();
    const first = await run(project.id, 'alpaca', ALPACA);
    expect(first).toMatchObject({ imported: 3000, skipped: 0, errorCount: 0 });
    // One record of the sample has an empty output: its instruction is an item without a candidate.
    expect(await t.db.candidate.count({ where: { item: { projectId: project.id } } })).toBe(2999);
    const second = await run(project.id, 'alpaca', ALPACA);
    expect(second).toMatchObject({ imported: 0, duplicates: 3000 });
    expect(await t.db.item.count({ where: { projectId: project.id } })).toBe(3000);
  });

  it('can keep the Alpaca output as a reference reply instead of a candidate', async () => {
    const project = await newProject();
    const source = file('alpaca-3.jsonl', fs.readFileSync(ALPACA, 'utf8').split('\n').slice(0, 3).join('\n'));
    await importFile(t.db, { projectId: project.id, format: 'alpaca', path: source, alpacaOutput: 'reference' });
    const items = await t.db.item.findMany({ where: { projectId: project.id }, include: { candidates: true } });
    expect(items).toHaveLength(3);
    expect(items.every((item) => item.candidates.length === 0)).toBe(true);
    expect(items.every((item) => typeof (item.metadata as { referenceReply?: string }).referenceReply === 'string')).toBe(true);
  });
});

describe('all or nothing', () => {
  const lines = Array.from({ length: 10_000 }, (_, i) =>
    JSON.stringify({ id: `p${i}`, prompt: `Question number ${i}?`, candidates: [{ content: `Answer ${i}`, model: 'm' }] }),
  );

  it('imports nothing from 10,000 lines when one is bad, and names that line', async () => {
    const project = await newProject();
    const bad = [...lines];
    bad[6_789] = '{"id": "p6789", "prompt": 42}';
    const summary = await run(project.id, 'jsonl', file('one-bad.jsonl', bad.join('\n')));
    expect(summary).toMatchObject({ imported: 0, errorCount: 1, errors: [{ line: 6_790, field: 'prompt', reason: 'must be a string, not a number' }] });
    expect(await t.db.item.count({ where: { projectId: project.id } })).toBe(0);

    const skipped = await run(project.id, 'jsonl', file('one-bad.jsonl', bad.join('\n')), true);
    expect(skipped).toMatchObject({ imported: 9_999, skipped: 1 });
    expect(await t.db.item.count({ where: { projectId: project.id } })).toBe(9_999);
  });

  it('deduplicates records without an id by their content', async () => {
    const project = await newProject();
    const same = JSON.stringify({ prompt: 'Same prompt', candidates: ['x', 'y'] });
    const summary = await run(project.id, 'jsonl', file('dupes.jsonl', [same, same, JSON.stringify({ prompt: 'Other' })].join('\n')));
    expect(summary.imported).toBe(2);
    expect(await run(project.id, 'jsonl', file('dupes.jsonl', same))).toMatchObject({ imported: 0, duplicates: 1 });
  });
});

describe('every kind of bad file gets a clear error and changes nothing', () => {
  const tenMegabytes = `{"prompt": "${'x'.repeat(10 * 1024 * 1024)}"}`;
  const cases: { name: string; format: ImportFormat; content: string | Buffer; field: string | RegExp; reason: RegExp; line?: number }[] = [
    { name: 'invalid JSON', format: 'jsonl', content: '{"prompt": "ok"}\n{"prompt": ', field: 'json', reason: /not valid JSON/, line: 2 },
    { name: 'a JSON array instead of an object', format: 'jsonl', content: '["prompt"]', field: 'record', reason: /must be a JSON object, not an array/ },
    { name: 'prompt of the wrong type', format: 'jsonl', content: '{"prompt": ["a"]}', field: 'prompt', reason: /must be a string/ },
    { name: 'prompt missing', format: 'jsonl', content: '{"system": "be nice"}', field: 'prompt', reason: /is missing/ },
    { name: 'both prompt and messages', format: 'jsonl', content: '{"prompt": "a", "messages": [{"role": "user", "content": "b"}]}', field: 'prompt', reason: /not both/ },
    { name: 'too many candidates', format: 'jsonl', content: JSON.stringify({ prompt: 'a', candidates: Array(10).fill('c') }), field: 'candidates', reason: /at most 9/ },
    { name: 'an empty file', format: 'jsonl', content: '', field: 'file', reason: /no records/ },
    { name: 'a UTF-16 file (its byte-order mark)', format: 'jsonl', content: Buffer.from('\ufeff{"prompt": "a"}', 'utf16le'), field: 'line', reason: /UTF-16/ },
    { name: 'invalid UTF-8', format: 'jsonl', content: Buffer.concat([Buffer.from('{"prompt": "ok"}\n{"prompt": "'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]), field: 'line', reason: /not valid UTF-8/, line: 2 },
    { name: 'a 10 MB line', format: 'jsonl', content: `{"prompt": "short"}\n${tenMegabytes}\n`, field: 'line', reason: /longer than 4 MiB/, line: 2 },
    { name: 'an unknown role', format: 'messages', content: '{"messages": [{"role": "robot", "content": "hi"}]}', field: 'messages[0].role', reason: /must be "system", "user" or "assistant"/ },
    { name: 'messages with no user turn', format: 'messages', content: '{"messages": [{"role": "system", "content": "s"}]}', field: 'messages', reason: /no user turn/ },
    { name: 'turns out of order', format: 'messages', content: '{"messages": [{"role": "assistant", "content": "hi"}]}', field: 'messages[0].role', reason: /expected "user"/ },
    { name: 'an HH pair with different prompts', format: 'hh', content: JSON.stringify({ chosen: '\n\nHuman: a\n\nAssistant: b', rejected: '\n\nHuman: z\n\nAssistant: c' }), field: 'rejected', reason: /same prompt/ },
    { name: 'an HH pair with identical answers', format: 'hh', content: JSON.stringify({ chosen: '\n\nHuman: a\n\nAssistant: b', rejected: '\n\nHuman: a\n\nAssistant: b' }), field: 'rejected', reason: /identical/ },
    { name: 'an HH record without the Human marker', format: 'hh', content: JSON.stringify({ chosen: 'Assistant: b', rejected: 'x' }), field: 'chosen', reason: /"Assistant:" turn after a "Human:" turn/ },
    { name: 'Alpaca without output', format: 'alpaca', content: '{"instruction": "Say hi", "input": ""}', field: 'output', reason: /is missing/ },
    { name: 'Alpaca input of the wrong type', format: 'alpaca', content: '{"instruction": "Say hi", "input": 3, "output": "hi"}', field: 'input', reason: /must be a string/ },
    { name: 'CSV with ragged rows', format: 'csv', content: 'prompt,system\n"Hello",be nice\n"Hi",a,b\n', field: 'row', reason: /3 fields; the header has 2/, line: 3 },
    { name: 'CSV without a prompt column', format: 'csv', content: 'question\nHello\n', field: 'header', reason: /no "prompt" column/ },
    { name: 'CSV with an unknown column', format: 'csv', content: 'prompt,candidat_1\nHello,x\n', field: 'header', reason: /unknown column/ },
    { name: 'CSV with an unclosed quote', format: 'csv', content: 'prompt\n"Hello\n', field: 'csv', reason: /quote/i },
    { name: 'CSV that is not UTF-8', format: 'csv', content: Buffer.concat([Buffer.from('prompt\nHello\n'), Buffer.from([0xff, 0xfe, 0x00])]), field: 'csv', reason: /not valid UTF-8/ },
  ];

  it.each(cases)('$name', async ({ name, format, content, field, reason, line }) => {
    const project = await newProject();
    const before = await t.db.item.count();
    const summary = await run(project.id, format, file(`${name.replace(/\W+/g, '-')}.${format}`, content));
    expect(summary.imported).toBe(0);
    expect(summary.errors.length).toBeGreaterThan(0);
    const error = summary.errors[0]!;
    if (typeof field === 'string') expect(error.field).toBe(field);
    else expect(error.field).toMatch(field);
    expect(error.reason).toMatch(reason);
    if (line !== undefined) expect(error.line).toBe(line);
    expect(await t.db.item.count()).toBe(before);
  });

  it('reads a UTF-8 byte-order mark as harmless (spreadsheets write one)', async () => {
    const project = await newProject();
    const summary = await run(project.id, 'csv', file('bom.csv', '\ufeffprompt,candidate_1\nHello,Hi there\n'));
    expect(summary).toMatchObject({ imported: 1, errorCount: 0 });
    const jsonl = await run(project.id, 'jsonl', file('bom.jsonl', '\ufeff{"prompt": "With a BOM"}\n'));
    expect(jsonl).toMatchObject({ imported: 1, errorCount: 0 });
  });
});
