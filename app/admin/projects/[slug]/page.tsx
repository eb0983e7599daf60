import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { AdminNav } from '@/components/admin/AdminNav';
import { MembersPanel } from '@/components/admin/projects/MembersPanel';
import { ProjectForm } from '@/components/admin/projects/ProjectForm';
import { RoundsPanel } from '@/components/admin/rounds/RoundsPanel';
import { AppShell } from '@/components/ui/AppShell';
import { requirePageAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { DomainError } from '@/lib/errors';
import { listMembers, requireProject } from '@/lib/projects/admin';
import { listRounds, roundExportChoices } from '@/lib/rounds/rounds';

export default async function ProjectPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const user = await requirePageAccess(`/admin/projects/${slug}`);
  const t = await getTranslations('projects');
  const db = getDb();
  const project = await requireProject(db, slug).catch((error) => {
    if (error instanceof DomainError) notFound();
    throw error;
  });
  const [members, rounds, roundExports] = await Promise.all([listMembers(db, project.id), listRounds(db, project.id), roundExportChoices(db, project.id)]);
  const link = 'rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100';
  return (
    <AppShell user={user}>
      <AdminNav current="projects" />
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-bold" data-testid="page-title">
          {project.name}
        </h1>
        <span className="font-mono text-sm text-slate-500">{project.slug}</span>
        <div className="ml-auto flex gap-2">
          <Link href={`/admin/projects/${slug}/guidelines`} className={link}>
            {t('guidelines')}
          </Link>
          <Link href={`/admin/projects/${slug}/items`} className={link}>
            {t('itemsAndGold')}
          </Link>
          <Link href={`/admin/projects/${slug}/import`} className={link}>
            {t('importItems')}
          </Link>
          <Link href={`/admin/projects/${slug}/generate`} className={link}>
            {t('generateCandidates')}
          </Link>
          <Link href={`/review/${slug}/reward-qa`} className={link}>
            {t('rewardQa')}
          </Link>
          <Link href={`/admin?project=${slug}`} className={link}>
            {t('dashboard')}
          </Link>
        </div>
      </div>
      <div className="mt-4 grid gap-4 lg:grid-cols-[1fr_26rem]">
        <ProjectForm project={project} />
        <MembersPanel slug={slug} members={members} />
      </div>
      <div className="mt-4">
        <RoundsPanel slug={slug} rounds={rounds} exports={roundExports} />
      </div>
    </AppShell>
  );
}
