/**
 * Does memory stay flat while importing? Imports a 10,000-line file (the baseline) and a
 * 100,000-line file into an embedded Postgres, sampling heap and RSS, and prints the peaks,
 * the ratio between the two runs, and the throughput.
 *
 *   node --expose-gc --import tsx bench/import-memory.ts [lines=100000]
 */
import fs from 'node:fs';
import path from 'node:path';
import { makeTempStateDir, startEmbeddedPostgres } from '../lib/db/embedded.ts';
import { migrate } from '../lib/db/migrate.ts';
import { createDb } from '../lib/db.ts';
import { importFile } from '../lib/import/import-file.ts';

const big = Number(process.argv[2] ?? 100_000);
const baseline = Math.max(1, Math.round(big / 10));

function writeFile(dir: string, lines: number): string {
  const file = path.join(dir, `prompts-${lines}.jsonl`);
  const out = fs.openSync(file, 'w');
  for (let i = 0; i < lines; i++) {
    const record = {
      id: `p${i}`,
      system: 'You are a helpful assistant.',
      prompt: `Question ${i}: explain, in two or three sentences, why the sky looks blue at noon and red at sunset.`,
      candidates: [
        { content: `Answer A to question ${i}: Rayleigh scattering favours short wavelengths; at sunset light crosses more air.`, model: 'model-a' },
        { content: `Answer B to question ${i}: because of the ocean.`, model: 'model-b' },
      ],
    };
    fs.writeSync(out, `${JSON.stringify(record)}\n`);
  }
  fs.closeSync(out);
  return file;
}

/**
 * Live memory, not garbage: every few progress reports (one per batch) a full GC runs and the
 * heap still in use is sampled. Without --expose-gc only the raw peak is meaningful.
 */
async function measure(db: ReturnType<typeof createDb>, projectId: string, file: string) {
  global.gc?.();
  const start = process.memoryUsage();
  let peakLiveHeap = start.heapUsed;
  let peakRss = start.rss;
  let reports = 0;
  const t0 = performance.now();
  const summary = await importFile(db, {
    projectId,
    format: 'jsonl',
    path: file,
    onProgress: () => {
      reports += 1;
      if (reports % 5 !== 0) return;
      global.gc?.();
      const now = process.memoryUsage();
      peakLiveHeap = Math.max(peakLiveHeap, now.heapUsed);
      peakRss = Math.max(peakRss, now.rss);
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  return { summary, seconds, heapGrowthMb: (peakLiveHeap - start.heapUsed) / 2 ** 20, peakRssMb: peakRss / 2 ** 20 };
}

async function main() {
  const dir = makeTempStateDir('feedloop-bench-');
  const server = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pgdata') });
  try {
    await migrate(server.url);
    const db = createDb(server.url);
    const results = [];
    for (const lines of [baseline, big]) {
      const file = writeFile(dir, lines);
      const project = await db.project.create({ data: { slug: `bench-${lines}`, name: `Bench ${lines}` } });
      const result = await measure(db, project.id, file);
      if (result.summary.imported !== lines) throw new Error(`imported ${result.summary.imported} of ${lines}`);
      const mb = fs.statSync(file).size / 2 ** 20;
      results.push({ lines, mb, ...result });
      console.log(
        `${String(lines).padStart(7)} lines (${mb.toFixed(1)} MB): ${result.seconds.toFixed(1)} s, ` +
          `${Math.round(lines / result.seconds)} lines/s, live heap growth ${result.heapGrowthMb.toFixed(1)} MB, peak RSS ${result.peakRssMb.toFixed(0)} MB`,
      );
    }
    const [small, large] = results as [(typeof results)[0], (typeof results)[0]];
    console.log(
      `ratio ${big}/${baseline} lines: file ×${(large.mb / small.mb).toFixed(1)}, live heap growth ×${(large.heapGrowthMb / Math.max(small.heapGrowthMb, 0.1)).toFixed(2)}, ` +
        `peak RSS ×${(large.peakRssMb / small.peakRssMb).toFixed(2)}, time ×${(large.seconds / small.seconds).toFixed(1)}`,
    );
    await db.$disconnect();
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
