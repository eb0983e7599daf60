import crypto from 'node:crypto';
import { expect, it } from 'vitest';
import { demonstrationInput } from '../../lib/annotation/schemas.ts';
import { submitDemonstration } from '../../lib/annotation/submit.ts';
import { claimNext, expireLeases } from '../../lib/queue/claim.ts';
import { freshDatabase } from './database.ts';

it('race: late submit vs claim of the same expired slot', async () => {
  const t = await freshDatabase();
  const db = t.db;
  const N = 10;
  const project = await db.project.create({ data: { slug: 'r', name: 'r', demonstrationsPerItem: 1, leaseMinutes: 10 } });
  const A = [], B = [];
  for (let i = 0; i < N; i++) {
    A.push(await db.user.create({ data: { email: `a${i}@x`, name: 'a', passwordHash: 'x' } }));
    B.push(await db.user.create({ data: { email: `b${i}@x`, name: 'b', passwordHash: 'x' } }));
  }
  await db.projectMember.createMany({ data: [...A, ...B].map((u) => ({ projectId: project.id, userId: u.id })) });
  for (let i = 0; i < N; i++) await db.item.create({ data: { projectId: project.id, externalId: `i${i}`, messages: [] } });
  const T0 = new Date();
  const held = [];
  for (const a of A) { const r = await claimNext(db, a.id, 'r', 'DEMONSTRATION', T0); held.push(r.status === 'task' ? r.task.assignmentId : null); }
  const late = new Date(T0.getTime() + 11 * 60_000);
  await expireLeases(db, late);
  const res = await Promise.allSettled([
    ...A.map((a, i) => submitDemonstration(db, a.id, held[i]!, demonstrationInput.parse({ clientKey: crypto.randomUUID(), reply: 'x' }), late)),
    ...B.map((b) => claimNext(db, b.id, 'r', 'DEMONSTRATION', late)),
  ]);
  console.log(res.map((r) => r.status === 'fulfilled' ? (r.value as any).status ?? 'submitted' : (r.reason as any).code));
  const rows = await db.assignment.groupBy({ by: ['itemId'], where: { status: { in: ['SUBMITTED', 'ACTIVE'] } }, _count: true });
  console.log(rows.map((r) => r._count));
  await t.close();
});
