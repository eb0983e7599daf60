import { notFound } from 'next/navigation';
import type { Db } from '@/lib/db';
import { DomainError } from '@/lib/errors';
import { type GuidelineProject } from '@/lib/guidelines/admin';
import { requireProject } from '@/lib/projects/admin';

/** The project of a guideline page, or the 404 page for an unknown slug. */
export async function projectOr404(db: Db, slug: string): Promise<GuidelineProject> {
  try {
    return await requireProject(db, slug);
  } catch (error) {
    if (error instanceof DomainError && error.status === 404) notFound();
    throw error;
  }
}
