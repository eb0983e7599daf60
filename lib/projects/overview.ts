import type { Db } from '../db.ts';
import type { CurrentUser } from '../auth/guard.ts';

export interface ProjectSummary {
  id: string;
  slug: string;
  name: string;
  status: 'OPEN' | 'PAUSED' | 'CLOSED';
  items: number;
  demonstrations: number;
  rankings: number;
}

const summarySelect = {
  id: true,
  slug: true,
  name: true,
  status: true,
  _count: { select: { items: true } },
} as const;

/** Projects the user is a member of, with their size; the membership is part of the query. */
export async function projectsForMember(db: Db, userId: string): Promise<ProjectSummary[]> {
  const projects = await db.project.findMany({
    where: { members: { some: { userId } }, status: { not: 'CLOSED' } },
    select: summarySelect,
    orderBy: { createdAt: 'asc' },
  });
  return withWorkCounts(db, projects);
}

/** Every project, for admins. */
export async function allProjects(db: Db): Promise<ProjectSummary[]> {
  const projects = await db.project.findMany({ select: summarySelect, orderBy: { createdAt: 'asc' } });
  return withWorkCounts(db, projects);
}

type ProjectRow = { id: string; slug: string; name: string; status: ProjectSummary['status']; _count: { items: number } };

async function withWorkCounts(db: Db, projects: ProjectRow[]): Promise<ProjectSummary[]> {
  return Promise.all(
    projects.map(async (project) => {
      const inProject = { item: { projectId: project.id } };
      const [demonstrations, rankings] = await Promise.all([
        db.demonstration.count({ where: inProject }),
        db.ranking.count({ where: inProject }),
      ]);
      const { _count, ...rest } = project;
      return { ...rest, items: _count.items, demonstrations, rankings };
    }),
  );
}

export interface UserRow {
  id: string;
  name: string;
  email: string;
  role: CurrentUser['role'];
  active: boolean;
}

export async function listUsers(db: Db): Promise<UserRow[]> {
  return db.user.findMany({
    select: { id: true, name: true, email: true, role: true, active: true },
    orderBy: [{ role: 'asc' }, { email: 'asc' }],
  });
}
