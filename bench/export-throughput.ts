/**
 * How fast is our export compared with what Postgres itself can stream, and does memory stay
 * flat? Seeds an embedded Postgres with rankings worth `pairs` preference pairs (set-based SQL),
 * then streams the same pairs twice and prints rows/s, MB written, live heap and peak RSS:
 *
 *   - COPY: `COPY (SELECT prompt, chosen, rejected …) TO STDOUT` through pg-copy-streams into a
 *     file, one row per pair, the pairs computed in SQL from each ranking's tiers (the ceiling);
 *   - export: `exportToDirectory` with kind=preference, format=trl-conversational.
 *
 * COPY runs first: RSS hardly shrinks after a phase, so the smaller phase goes first to keep its
 * peak clean. A counting pass over the pairs before either warms the caches for both.
 *
 *   node --expose-gc --import tsx bench/export-throughput.ts [pairs=1000000]
 */
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { makeTempStateDir, startEmbeddedPostgres } from '../lib/db/embedded.ts';
import { migrate } from '../lib/db/migrate.ts';
import { createDb } from '../lib/db.ts';
import { exportOptions } from '../lib/export/options.ts';
import { exportToDirectory } from '../lib/export/run.ts';

const pairs = Number(process.argv[2] ?? 1_000_000);
if (!Number.isInteger(pairs) || pairs < 1) throw new Error(`pairs must be a positive integer, not ${process.argv[2]}`);

const LABELERS = 3;
const CANDIDATES = 4;
const PAIRS_PER_RANKING = 6; // 4 candidates strictly ordered: 3 + 2 + 1
/** Every ranking orders its item's 4 candidates strictly, except the last, whose ties make the total exact. */
const RANKINGS = Math.ceil(pairs / PAIRS_PER_RANKING);
const LAST_RANKING_PAIRS = pairs - PAIRS_PER_RANKING * (RANKINGS - 1);
const ITEMS = Math.ceil(RANKINGS / LABELERS);
const PROJECT_ID = 'bench-export-project';
const MB = 2 ** 20;

/** Tier shapes by the number of pairs they give; #0…#3 stand for the ranking's candidates, best first. */
const TIER_SHAPES: Record<number, string> = {
  6: '[["#0"],["#1"],["#2"],["#3"]]',
  5: '[["#0"],["#1"],["#2","#3"]]',
  4: '[["#0","#1"],["#2","#3"]]',
  3: '[["#0"],["#1","#2","#3"]]',
  2: '[["#0"],["#1","#2"]]',
  1: '[["#0"],["#1"]]',
};

const SENTENCES = [
  'Rayleigh scattering favours short wavelengths, so blue light is scattered across the sky far more than red.',
  'At sunset the light crosses much more air, and most of the blue is scattered away before it reaches you.',
  'The remaining light is dominated by orange and red, which is why the horizon glows warm in the evening.',
  'Violet is scattered even more strongly, but the sun emits less of it and our eyes are less sensitive to it.',
  'Dust, smoke and water droplets scatter all colours more evenly, which can make the sky look paler or grey.',
  'A useful analogy is a crowded room: short waves bounce off every molecule, long waves mostly pass through.',
  'In short, the colour of the sky depends on the path length of sunlight through the atmosphere.',
  'I am not certain about the exact figures, but the scattering strength goes roughly as one over wavelength to the fourth.',
  'On Mars the fine dust reverses the effect, giving butterscotch skies by day and bluish sunsets.',
  'If you want to check this yourself, look at the sky through a polarising filter at ninety degrees from the sun.',
  'Clouds look white because their droplets are large compared with the wavelength and scatter every colour alike.',
  'Astronauts above the atmosphere see a black sky, since there is almost nothing left to scatter the light.',
];

const item = (n: string) => `'item' || lpad(${n}::text, 9, '0')`;

async function seed(client: pg.Client): Promise<void> {
  await client.query(`INSERT INTO "Project" (id, slug, name, "updatedAt") VALUES ($1, 'bench-export', 'Bench export', now())`, [PROJECT_ID]);
  await client.query(
    `INSERT INTO "User" (id, email, name, "passwordHash", "updatedAt")
     SELECT 'bench-labeler-' || u, 'labeler' || u || '@bench.local', 'Labeler ' || u, 'not-a-hash', now()
     FROM generate_series(1, $1::int) u`,
    [LABELERS],
  );
  // Items in id order of insertion, as cuids are.
  await client.query(
    `INSERT INTO "Item" (id, "projectId", messages, system, source, "externalId")
     SELECT ${item('n')}, $1,
            jsonb_build_array(jsonb_build_object('role', 'user', 'content',
              format('Question %s: explain, in two or three sentences, why the sky looks blue at noon and red at sunset, and what changes on a hazy day.', n))),
            'You are a helpful assistant.', 'bench', 'q' || n
     FROM generate_series(1, $2::int) n`,
    [PROJECT_ID, ITEMS],
  );
  // 200–400 characters of prose per candidate, different for every candidate.
  await client.query(
    `INSERT INTO "Candidate" (id, "itemId", content, model)
     SELECT ${item('n')} || '-c' || k, ${item('n')},
            left(format('Answer %s to question %s: ', k, n) ||
                 (SELECT string_agg(($3::text[])[1 + abs(hashtext(n || ':' || k || ':' || j)) % cardinality($3::text[])], ' ')
                  FROM generate_series(1, 5) j),
                 200 + abs(hashtext(n || '/' || k)) % 201),
            'model-' || k
     FROM generate_series(1, $1::int) n, generate_series(1, $2::int) k`,
    [ITEMS, CANDIDATES, SENTENCES],
  );
  // Ranking k belongs to item k / LABELERS + 1 and labeler k % LABELERS + 1; each labeler
  // starts the order at a different candidate so the pairs differ between labelers.
  const candidate = (slot: number) => `${item('(k / $2 + 1)')} || '-c' || ((k + ${slot}) % ${CANDIDATES} + 1)`;
  await client.query(
    `INSERT INTO "Ranking" (id, "itemId", "authorId", tiers, ratings, flags)
     SELECT gen_random_uuid()::text, ${item('(k / $2 + 1)')}, 'bench-labeler-' || (k % $2 + 1),
            replace(replace(replace(replace(
              CASE WHEN k = $1 - 1 THEN $3 ELSE $4 END,
              '#0', ${candidate(0)}), '#1', ${candidate(1)}), '#2', ${candidate(2)}), '#3', ${candidate(3)})::jsonb,
            '{}', '{}'
     FROM generate_series(0, $1::int - 1) k`,
    [RANKINGS, LABELERS, TIER_SHAPES[LAST_RANKING_PAIRS], TIER_SHAPES[PAIRS_PER_RANKING]],
  );
  await client.query('VACUUM ANALYZE');
}

/**
 * One row per preference pair, computed from the tiers in SQL: every candidate of tier i
 * against every candidate of tier j > i. The prompt is the chat messages the export writes
 * (system turn first). No ORDER BY: this is the streaming ceiling.
 */
function pairSql(projectId: string): string {
  return `
    SELECT CASE WHEN i.system IS NULL THEN i.messages
                ELSE jsonb_build_array(jsonb_build_object('role', 'system', 'content', i.system)) || i.messages END AS prompt,
           chosen.content AS chosen, rejected.content AS rejected
    FROM "Item" i
    JOIN "Ranking" r ON r."itemId" = i.id AND r.status <> 'INVALID'
    CROSS JOIN LATERAL jsonb_array_elements(r.tiers) WITH ORDINALITY AS better(tier, rank)
    CROSS JOIN LATERAL jsonb_array_elements(r.tiers) WITH ORDINALITY AS worse(tier, rank)
    CROSS JOIN LATERAL jsonb_array_elements_text(better.tier) AS b(id)
    CROSS JOIN LATERAL jsonb_array_elements_text(worse.tier) AS w(id)
    JOIN "Candidate" chosen ON chosen.id = b.id AND chosen."itemId" = i.id
    JOIN "Candidate" rejected ON rejected.id = w.id AND rejected."itemId" = i.id
    WHERE i."projectId" = ${projectId} AND better.rank < worse.rank`;
}

interface Memory {
  heapGrowthMb: number;
  peakRssMb: number;
  startRssMb: number;
}

/**
 * Live memory, not garbage: every half second a full GC runs and the heap still in use is
 * sampled; RSS is sampled every 50 ms. Without --expose-gc only the raw peaks are meaningful.
 */
function sampleMemory(): { stop(): Memory } {
  global.gc?.();
  const start = process.memoryUsage();
  let peakLiveHeap = start.heapUsed;
  let peakRss = start.rss;
  let ticks = 0;
  const timer = setInterval(() => {
    ticks += 1;
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    if (ticks % 10 !== 0) return;
    global.gc?.();
    peakLiveHeap = Math.max(peakLiveHeap, process.memoryUsage().heapUsed);
  }, 50);
  return {
    stop() {
      clearInterval(timer);
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
      return { heapGrowthMb: (peakLiveHeap - start.heapUsed) / MB, peakRssMb: peakRss / MB, startRssMb: start.rss / MB };
    },
  };
}

interface Phase extends Memory {
  name: string;
  rows: number;
  mb: number;
  seconds: number;
}

async function measureCopy(url: string, projectId: string, file: string): Promise<Phase> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const memory = sampleMemory();
    const t0 = performance.now();
    const stream = client.query(copyTo(`COPY (${pairSql(client.escapeLiteral(projectId))}) TO STDOUT`));
    await pipeline(stream, fs.createWriteStream(file));
    const seconds = (performance.now() - t0) / 1000;
    return { name: 'COPY TO STDOUT', rows: stream.rowCount, mb: fs.statSync(file).size / MB, seconds, ...memory.stop() };
  } finally {
    await client.end();
  }
}

async function measureExport(db: ReturnType<typeof createDb>, url: string, projectId: string, outDir: string): Promise<Phase> {
  const options = exportOptions.parse({ kind: 'preference', format: 'trl-conversational' });
  const memory = sampleMemory();
  const t0 = performance.now();
  const result = await exportToDirectory(db, url, { projectId, options, outDir });
  const seconds = (performance.now() - t0) / 1000;
  const mem = memory.stop();
  const mb = result.files.reduce((sum, file) => sum + fs.statSync(path.join(outDir, file.name)).size, 0) / MB;
  return { name: 'exportToDirectory', rows: result.rows, mb, seconds, ...mem };
}

function printTable(phases: Phase[]) {
  const header = ['', 'rows', 'MB', 'wall s', 'rows/s', 'MB/s', 'live heap +MB', 'RSS start MB', 'peak RSS MB'];
  const lines = phases.map((p) => [
    p.name,
    String(p.rows),
    p.mb.toFixed(1),
    p.seconds.toFixed(1),
    String(Math.round(p.rows / p.seconds)),
    (p.mb / p.seconds).toFixed(1),
    p.heapGrowthMb.toFixed(1),
    p.startRssMb.toFixed(0),
    p.peakRssMb.toFixed(0),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  for (const row of [header, ...lines]) console.log(row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '));
}

async function main() {
  const dir = makeTempStateDir('feedloop-bench-');
  const server = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pgdata') });
  try {
    await migrate(server.url);
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    let t0 = performance.now();
    await seed(client);
    console.log(
      `seeded ${ITEMS} items × ${CANDIDATES} candidates, ${RANKINGS} rankings by ${LABELERS} labelers (${pairs} pairs) ` +
        `in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    t0 = performance.now();
    const counted = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM (${pairSql('$1')}) p`, [PROJECT_ID])).rows[0]!.n);
    console.log(`warm-up: counted ${counted} pairs in SQL in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    await client.end();
    if (counted !== pairs) throw new Error(`the seed gives ${counted} pairs, not ${pairs}`);

    const copyFile = path.join(dir, 'copy.tsv');
    const copy = await measureCopy(server.url, PROJECT_ID, copyFile);
    fs.rmSync(copyFile);

    const db = createDb(server.url);
    const outDir = path.join(dir, 'export');
    const ours = await measureExport(db, server.url, PROJECT_ID, outDir);
    await db.$disconnect();
    fs.rmSync(outDir, { recursive: true });

    for (const phase of [copy, ours]) if (phase.rows !== pairs) throw new Error(`${phase.name} wrote ${phase.rows} rows, not ${pairs}`);
    console.log();
    printTable([copy, ours]);
    console.log();
    console.log(
      `export ÷ COPY: rows/s ×${(ours.rows / ours.seconds / (copy.rows / copy.seconds)).toFixed(2)}, ` +
        `MB/s ×${(ours.mb / ours.seconds / (copy.mb / copy.seconds)).toFixed(2)}, bytes ×${(ours.mb / copy.mb).toFixed(2)}, ` +
        `peak RSS ×${(ours.peakRssMb / copy.peakRssMb).toFixed(2)}; ` +
        `live heap growth ${ours.heapGrowthMb.toFixed(1)} MB (export) vs ${copy.heapGrowthMb.toFixed(1)} MB (COPY)`,
    );
    if (!global.gc) console.log('(run with --expose-gc for live-heap figures)');
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
