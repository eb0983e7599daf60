/**
 * How fast does the labeling queue hand out work as a project fills up? Seeds an embedded
 * Postgres with projects of `items` items (2 candidates each, 3 rankings per item), of which a
 * share is already fully ranked (submitted assignments, set-based SQL), then times `claimNext`
 * for RANKING by fresh labelers (each claim a new user, so none gets a held lease back).
 *
 * The baseline, measured in the same run, is the same project with nothing ranked yet: the
 * ratio says what a project's progress costs each claim.
 *
 *   npx tsx bench/queue-claims.ts [items=20000] [claims=60]
 */
import { performance } from 'node:perf_hooks';
import { makeTempStateDir, startEmbeddedPostgres } from '../lib/db/embedded.ts';
import { migrate } from '../lib/db/migrate.ts';
import { createDb, type Db } from '../lib/db.ts';
import { claimNext } from '../lib/queue/claim.ts';

const items = Number(process.argv[2] ?? 20_000);
const claims = Number(process.argv[3] ?? 60);
for (const [name, value] of [['items', items], ['claims', claims]] as const) {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, not ${process.argv[name === 'items' ? 2 : 3]}`);
}
const QUOTA = 3;

async function seedProject(db: Db, slug: string, filledShare: number): Promise<string> {
  const project = await db.project.create({ data: { slug, name: slug, rankingsPerItem: QUOTA, candidatesPerRanking: 2 } });
  const admin = await db.user.upsert({ where: { email: 'bench-admin@bench.local' }, update: {}, create: { email: 'bench-admin@bench.local', name: 'Admin', role: 'ADMIN', passwordHash: 'x' } });
  const guideline = await db.guideline.create({ data: { projectId: project.id, version: 1, title: 'g', body: 'b', publishedAt: new Date(), authorId: admin.id } });
  await db.$executeRaw`
    INSERT INTO "Item" (id, "projectId", messages, "externalId", "createdAt")
    SELECT ${slug} || '-item-' || n, ${project.id}, '[{"role":"user","content":"q"}]'::jsonb, 'x' || n, now() - (${items} - n) * interval '1 second'
    FROM generate_series(1, ${items}) n`;
  await db.$executeRaw`
    INSERT INTO "Candidate" (id, "itemId", content, model)
    SELECT i.id || '-c' || k, i.id, 'answer ' || k, 'm' FROM "Item" i, generate_series(1, 2) k WHERE i."projectId" = ${project.id}`;
  // The oldest items are the ones already done, as the queue hands out oldest first.
  const filled = Math.floor(items * filledShare);
  await db.$executeRaw`
    INSERT INTO "User" (id, email, name, role, "passwordHash", "updatedAt")
    SELECT ${slug} || '-done-' || k, ${slug} || '-done-' || k || '@bench.local', 'done', 'LABELER', 'x', now() FROM generate_series(1, ${QUOTA}) k`;
  await db.$executeRaw`
    INSERT INTO "Assignment" (id, "itemId", "userId", kind, status, "leaseExpiresAt", "finishedAt")
    SELECT i.id || '-a' || k, i.id, ${slug} || '-done-' || k, 'RANKING', 'SUBMITTED', now(), now()
    FROM (SELECT id FROM "Item" WHERE "projectId" = ${project.id} ORDER BY "createdAt" LIMIT ${filled}) i, generate_series(1, ${QUOTA}) k`;
  await db.$executeRaw`
    INSERT INTO "User" (id, email, name, role, "passwordHash", "updatedAt")
    SELECT ${slug} || '-l' || n, ${slug} || '-l' || n || '@bench.local', 'l', 'LABELER', 'x', now() FROM generate_series(1, ${claims}) n`;
  await db.$executeRaw`INSERT INTO "ProjectMember" (id, "projectId", "userId", role) SELECT ${slug} || '-m' || n, ${project.id}, ${slug} || '-l' || n, 'LABELER' FROM generate_series(1, ${claims}) n`;
  await db.$executeRaw`INSERT INTO "GuidelineAck" (id, "userId", "guidelineId") SELECT ${slug} || '-ack' || n, ${slug} || '-l' || n, ${guideline.id} FROM generate_series(1, ${claims}) n`;
  await db.$executeRaw`ANALYZE`;
  return project.id;
}

async function timeClaims(db: Db, slug: string): Promise<number> {
  // One claim untimed, so that connection set-up and plan caching are not in the figure.
  await claimNext(db, `${slug}-l${claims}`, slug, 'RANKING');
  const start = performance.now();
  for (let n = 1; n < claims; n++) {
    const next = await claimNext(db, `${slug}-l${n}`, slug, 'RANKING');
    if (next.status !== 'task') throw new Error(`claim ${n} in ${slug} got ${next.status}`);
  }
  return (claims - 1) / ((performance.now() - start) / 1000);
}

const stateDir = makeTempStateDir('feedloop-bench-queue-');
const server = await startEmbeddedPostgres({ dataDir: `${stateDir}/pgdata`, log: () => {} });
try {
  await migrate(server.url);
  const db = createDb(server.url);
  console.log(`queue claims, ${items.toLocaleString('en')} items per project, ${claims} claims each (RANKING, quota ${QUOTA})`);
  const rows: [string, number][] = [];
  for (const share of [0, 0.5, 0.9]) {
    const slug = `bench-${Math.round(share * 100)}`;
    await seedProject(db, slug, share);
    rows.push([`${Math.round(share * 100)}% of items already fully ranked`, await timeClaims(db, slug)]);
  }
  const baseline = rows[0]![1];
  for (const [label, perSecond] of rows) console.log(`  ${label.padEnd(38)} ${perSecond.toFixed(1).padStart(8)} claims/s   ${(perSecond / baseline).toFixed(2)}× the empty project`);
  await db.$disconnect();
} finally {
  await server.stop();
}
