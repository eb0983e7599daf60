import { z } from 'zod';
import { recordAudit } from '../audit.ts';
import type { Db, Queryable } from '../db.ts';
import { DomainError } from '../errors.ts';
import { Prisma } from '../generated/prisma/client.ts';

export const PROJECT_STATUSES = ['OPEN', 'PAUSED', 'CLOSED'] as const;
export const MEMBER_ROLES = ['ADMIN', 'REVIEWER', 'LABELER'] as const;

const settings = {
  name: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  instructions: z.string().trim().max(20_000, 'must be at most 20,000 characters').default(''),
  demonstrationsPerItem: z.coerce.number().int('must be a whole number').min(0, 'must be 0 or more').max(20, 'must be at most 20'),
  rankingsPerItem: z.coerce.number().int('must be a whole number').min(0, 'must be 0 or more').max(20, 'must be at most 20'),
  candidatesPerRanking: z.coerce.number().int('must be a whole number').min(2, 'must be at least 2').max(9, 'must be at most 9'),
  leaseMinutes: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(24 * 60, 'must be at most 1440'),
  status: z.enum(PROJECT_STATUSES),
};

/**
 * Names of pages that sit beside a project's own page (/review/items next to /review/<slug>):
 * a project with such a slug could never be opened there. A unit test keeps this list complete.
 */
export const RESERVED_SLUGS: readonly string[] = ['agreement', 'items'];

export const createProjectInput = z.object({
  slug: z
    .string()
    .trim()
    .min(2, 'must be at least 2 characters')
    .max(60, 'must be at most 60 characters')
    .regex(/^[a-z0-9][a-z0-9-]*$/, 'use lowercase letters, digits and dashes')
    .refine((slug) => !RESERVED_SLUGS.includes(slug), { message: 'is the address of another page; choose another short name' }),
  ...settings,
  demonstrationsPerItem: settings.demonstrationsPerItem.default(1),
  rankingsPerItem: settings.rankingsPerItem.default(3),
  candidatesPerRanking: settings.candidatesPerRanking.default(4),
  leaseMinutes: settings.leaseMinutes.default(30),
  status: settings.status.default('OPEN'),
});
export const updateProjectInput = z.object(settings).partial();
export const memberInput = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email('is not an email address')),
  role: z.enum(MEMBER_ROLES).default('LABELER'),
});

const projectView = {
  id: true,
  slug: true,
  name: true,
  instructions: true,
  demonstrationsPerItem: true,
  rankingsPerItem: true,
  candidatesPerRanking: true,
  leaseMinutes: true,
  status: true,
} as const;

export async function requireProject(db: Queryable, slug: string) {
  const project = await db.project.findUnique({ where: { slug }, select: projectView });
  if (!project) throw new DomainError('not_found', `No project with the slug "${slug}".`, 404);
  return project;
}

export async function createProject(db: Db, actorId: string, input: z.infer<typeof createProjectInput>) {
  try {
    return await db.$transaction(async (tx) => {
      const project = await tx.project.create({ data: input, select: projectView });
      await recordAudit(tx, { actorId, action: 'project.create', entityType: 'Project', entityId: project.id, after: input });
      return project;
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw new DomainError('slug_taken', `slug: "${input.slug}" is already used by another project.`, 409, 'slug');
    }
    throw error;
  }
}

export async function updateProject(db: Db, actorId: string, slug: string, input: z.infer<typeof updateProjectInput>) {
  return db.$transaction(async (tx) => {
    const before = await tx.project.findUnique({ where: { slug }, select: projectView });
    if (!before) throw new DomainError('not_found', `No project with the slug "${slug}".`, 404);
    const after = await tx.project.update({ where: { id: before.id }, data: input, select: projectView });
    await recordAudit(tx, { actorId, action: 'project.update', entityType: 'Project', entityId: before.id, before, after });
    return after;
  });
}

export async function listMembers(db: Db, projectId: string) {
  return db.projectMember.findMany({
    where: { projectId },
    select: { role: true, createdAt: true, user: { select: { id: true, name: true, email: true, active: true } } },
    orderBy: [{ role: 'asc' }, { user: { email: 'asc' } }],
  });
}

/** Adds a person to a project, or changes their role in it. */
export async function setMember(db: Db, actorId: string, slug: string, input: z.infer<typeof memberInput>) {
  return db.$transaction(async (tx) => {
    const project = await tx.project.findUnique({ where: { slug }, select: { id: true } });
    if (!project) throw new DomainError('not_found', `No project with the slug "${slug}".`, 404);
    const user = await tx.user.findUnique({ where: { email: input.email }, select: { id: true } });
    if (!user) throw new DomainError('unknown_user', `email: nobody has the address ${input.email}; create or invite them first.`, 404, 'email');
    const member = await tx.projectMember.upsert({
      where: { projectId_userId: { projectId: project.id, userId: user.id } },
      create: { projectId: project.id, userId: user.id, role: input.role },
      update: { role: input.role },
    });
    await recordAudit(tx, { actorId, action: 'project.member', entityType: 'Project', entityId: project.id, after: { email: input.email, role: input.role } });
    return member;
  });
}

/** Removes a person from a project; their open leases there go back to the pool. */
export async function removeMember(db: Db, actorId: string, slug: string, userId: string) {
  return db.$transaction(async (tx) => {
    const project = await tx.project.findUnique({ where: { slug }, select: { id: true } });
    if (!project) throw new DomainError('not_found', `No project with the slug "${slug}".`, 404);
    const { count } = await tx.projectMember.deleteMany({ where: { projectId: project.id, userId } });
    if (count === 0) throw new DomainError('not_a_member', 'That person is not a member of this project.', 404);
    await tx.assignment.updateMany({
      where: { userId, status: 'ACTIVE', item: { projectId: project.id } },
      data: { status: 'EXPIRED' },
    });
    await recordAudit(tx, { actorId, action: 'project.member_remove', entityType: 'Project', entityId: project.id, before: { userId } });
    return { removed: true };
  });
}
