import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../lib/db.ts';
import { claimJob, failJob, heartbeat, releaseJob, requestCancel } from '../../lib/jobs/queue.ts';
import { freshDatabase, type TestDatabase } from './database.ts';

let t: TestDatabase;
let other: Db;
let projectId: string;

beforeAll(async () => {
  t = await freshDatabase();
  other = createDb(t.url);
  projectId = (await t.db.project.create({ data: { slug: 'jobs', name: 'Jobs' } })).id;
}, 60_000);

afterAll(async () => {
  await other?.$disconnect();
  await t?.close();
});

const queued = () => t.db.generationRun.create({ data: { projectId, request: {}, status: 'QUEUED' } });
const ago = (ms: number) => new Date(Date.now() - ms);

describe('the job queue on the run rows', () => {
  it('gives each queued job to exactly one of many workers claiming at once', async () => {
    const ids = [];
    for (let i = 0; i < 6; i++) ids.push((await queued()).id);
    // Two "servers" (connection pools), twelve claims racing for six rows.
    const claims = await Promise.all(Array.from({ length: 12 }, (_, i) => claimJob(i % 2 ? other : t.db, 'GenerationRun')));
    const won = claims.filter((c) => c !== null);
    expect(won.map((c) => c.id).sort()).toEqual([...ids].sort());
    expect(new Set(won.map((c) => c.leaseId)).size).toBe(6);
    const rows = await t.db.generationRun.findMany({ where: { id: { in: ids } } });
    for (const row of rows) expect(row).toMatchObject({ status: 'RUNNING', attempts: 1, leaseId: won.find((c) => c.id === row.id)!.leaseId });
    await t.db.generationRun.updateMany({ where: { id: { in: ids } }, data: { status: 'SUCCEEDED' } });
  });

  it('takes up a running job only once its heartbeat is stale, and the old holder then finds its lease gone', async () => {
    const fresh = await t.db.generationRun.create({ data: { projectId, request: {}, status: 'RUNNING', leaseId: 'old', heartbeatAt: ago(1000) } });
    expect(await claimJob(t.db, 'GenerationRun', 60_000)).toBeNull();
    const stale = await t.db.generationRun.update({ where: { id: fresh.id }, data: { heartbeatAt: ago(120_000), attempts: 1 } });
    const taken = await claimJob(t.db, 'GenerationRun', 60_000);
    expect(taken).toMatchObject({ id: stale.id, attempts: 2 });
    expect(await heartbeat(t.db, 'GenerationRun', { id: stale.id, leaseId: 'old', attempts: 1 })).toEqual({ held: false, cancelRequested: false });
    expect(await failJob(t.db, 'GenerationRun', { id: stale.id, leaseId: 'old', attempts: 1 }, 'late')).toBe(false);
    expect(await heartbeat(t.db, 'GenerationRun', taken!)).toEqual({ held: true, cancelRequested: false });

    // Handed back on shutdown: queued again, and the hand-over does not count as a failed start.
    expect(await releaseJob(t.db, 'GenerationRun', taken!)).toBe(true);
    expect(await t.db.generationRun.findUniqueOrThrow({ where: { id: stale.id } })).toMatchObject({ status: 'QUEUED', leaseId: null, heartbeatAt: null, attempts: 1 });
    const again = await claimJob(t.db, 'GenerationRun');
    expect(again).toMatchObject({ id: stale.id, attempts: 2 });
    expect(await failJob(t.db, 'GenerationRun', again!, 'the endpoint was removed')).toBe(true);
    expect(await t.db.generationRun.findUniqueOrThrow({ where: { id: stale.id } })).toMatchObject({ status: 'FAILED', error: 'the endpoint was removed' });
  });

  it('cancels a queued job at once, tells a live holder through its heartbeat, and refuses an ended one', async () => {
    const waiting = await queued();
    expect(await requestCancel(other, 'GenerationRun', waiting.id)).toBe('cancelled');
    expect(await t.db.generationRun.findUniqueOrThrow({ where: { id: waiting.id } })).toMatchObject({ status: 'CANCELLED' });
    expect(await requestCancel(other, 'GenerationRun', waiting.id)).toBeNull();

    await queued();
    const held = (await claimJob(t.db, 'GenerationRun'))!;
    expect(await requestCancel(other, 'GenerationRun', held.id)).toBe('requested');
    expect(await heartbeat(t.db, 'GenerationRun', held)).toEqual({ held: true, cancelRequested: true });
    // A job that fails after the cancel was asked for ends cancelled: the cancel stands.
    await failJob(t.db, 'GenerationRun', held, 'boom');
    expect(await t.db.generationRun.findUniqueOrThrow({ where: { id: held.id } })).toMatchObject({ status: 'CANCELLED' });
  });

  it('ends a job cancelled after its last heartbeat when its worker hands it back, instead of queueing it again', async () => {
    await queued();
    const held = (await claimJob(t.db, 'GenerationRun'))!;
    expect(await requestCancel(other, 'GenerationRun', held.id)).toBe('requested');
    expect(await releaseJob(t.db, 'GenerationRun', held)).toBe(true);
    expect(await t.db.generationRun.findUniqueOrThrow({ where: { id: held.id } })).toMatchObject({ status: 'CANCELLED', leaseId: null, finishedAt: expect.any(Date) });
    expect(await claimJob(t.db, 'GenerationRun')).toBeNull();
  });
});
