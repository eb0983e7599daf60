import { recordAudit } from '../audit.ts';
import type { Db } from '../db.ts';
import { hashPassword } from '../auth/password.ts';
import type { Role } from '../auth/roles.ts';
import { DEMO_DEMONSTRATIONS, DEMO_GUIDELINE, DEMO_ITEMS, DEMO_RANKINGS } from './fixtures.ts';

export const DEMO_PASSWORD = 'feedloop';
export const DEMO_ACCOUNTS: { email: string; name: string; role: Role }[] = [
  { email: 'admin@feedloop.local', name: 'Ada Admin', role: 'ADMIN' },
  { email: 'reviewer@feedloop.local', name: 'Rui Reviewer', role: 'REVIEWER' },
  { email: 'labeler@feedloop.local', name: 'Lena Labeler', role: 'LABELER' },
];

// Serialises concurrent seeders (two servers starting at once on an empty database).
const SEED_LOCK_KEY = 727_002;

/**
 * Fills an empty database with the demo project. Does nothing when any user exists,
 * so running it on every start seeds exactly once.
 */
export async function seedDemo(db: Db): Promise<{ seeded: boolean }> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SEED_LOCK_KEY})`;
      if ((await tx.user.count()) > 0) return { seeded: false };

      const users = await Promise.all(
        DEMO_ACCOUNTS.map((account) => tx.user.create({ data: { ...account, passwordHash } })),
      );
      const [admin, reviewer, labeler] = users as [(typeof users)[0], (typeof users)[0], (typeof users)[0]];

      const project = await tx.project.create({
        data: {
          slug: 'demo',
          name: 'Demo: helpful, truthful, harmless',
          instructions: 'Write the reply an ideal assistant would give, and rank model answers best to worst.',
          demonstrationsPerItem: 1,
          rankingsPerItem: 2,
          candidatesPerRanking: 4,
          members: {
            create: [
              { userId: admin.id, role: 'ADMIN' },
              { userId: reviewer.id, role: 'REVIEWER' },
              { userId: labeler.id, role: 'LABELER' },
            ],
          },
        },
      });
      const guideline = await tx.guideline.create({
        data: {
          projectId: project.id,
          version: 1,
          title: 'Helpful, truthful, harmless',
          body: DEMO_GUIDELINE,
          publishedAt: new Date(),
          authorId: admin.id,
        },
      });
      // The labeler has not read it yet, so the demo starts where every labeler starts: the guideline.
      await tx.guidelineAck.create({ data: { userId: reviewer.id, guidelineId: guideline.id } });

      const items = new Map<string, { id: string; candidateIds: string[] }>();
      for (const fixture of DEMO_ITEMS) {
        const item = await tx.item.create({
          data: {
            projectId: project.id,
            externalId: fixture.externalId,
            system: fixture.system ?? null,
            messages: fixture.messages,
            source: 'demo',
            metadata: fixture.shouldRefuse ? { shouldRefuse: true } : {},
          },
        });
        // One insert each: the rankings below refer to candidates by their listed position.
        const candidateIds: string[] = [];
        for (const candidate of fixture.candidates) {
          const created = await tx.candidate.create({ data: { itemId: item.id, ...candidate, origin: 'IMPORT' } });
          candidateIds.push(created.id);
        }
        items.set(fixture.externalId, { id: item.id, candidateIds });
      }

      const lease = new Date();
      for (const demo of DEMO_DEMONSTRATIONS) {
        const item = items.get(demo.externalId)!;
        const assignment = await tx.assignment.create({
          data: { itemId: item.id, userId: labeler.id, kind: 'DEMONSTRATION', status: 'SUBMITTED', leaseExpiresAt: lease, finishedAt: lease },
        });
        await tx.demonstration.create({
          data: {
            itemId: item.id,
            assignmentId: assignment.id,
            authorId: labeler.id,
            messages: [{ role: 'assistant', content: demo.reply }],
            isRefusal: demo.isRefusal ?? false,
            guidelineId: guideline.id,
          },
        });
      }
      for (const ranking of DEMO_RANKINGS) {
        const item = items.get(ranking.externalId)!;
        const assignment = await tx.assignment.create({
          data: { itemId: item.id, userId: labeler.id, kind: 'RANKING', status: 'SUBMITTED', leaseExpiresAt: lease, finishedAt: lease },
        });
        const tiers = ranking.tiers.map((tier) => tier.map((position) => item.candidateIds[position]!));
        const best = new Set(tiers[0]);
        const ratings = Object.fromEntries(
          item.candidateIds.map((id) => {
            const score = best.has(id) ? 5 : 2;
            return [id, { helpful: score, truthful: score, harmless: 5 }];
          }),
        );
        await tx.ranking.create({
          data: {
            itemId: item.id,
            assignmentId: assignment.id,
            authorId: labeler.id,
            tiers,
            ratings,
            rationale: ranking.rationale,
            guidelineId: guideline.id,
          },
        });
      }

      await recordAudit(tx, { actorId: null, action: 'demo.seed', entityType: 'Project', entityId: project.id, after: { items: DEMO_ITEMS.length } });
      return { seeded: true };
    },
    { timeout: 60_000 },
  );
}
