import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { AdminNav } from '@/components/admin/AdminNav';
import { ProjectPageHeader } from '@/components/admin/projects/ProjectPageHeader';
import { ImportPanel } from '@/components/admin/projects/ImportPanel';
import { AppShell } from '@/components/ui/AppShell';
import { requirePageAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { DomainError } from '@/lib/errors';
import { requireProject } from '@/lib/projects/admin';

export default async function ImportPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const user = await requirePageAccess(`/admin/projects/${slug}/import`);
  const t = await getTranslations('projects');
  const project = await requireProject(getDb(), slug).catch((error) => {
    if (error instanceof DomainError) notFound();
    throw error;
  });
  return (
    <AppShell user={user}>
      <AdminNav current="projects" />
      <ProjectPageHeader slug={slug} projectName={project.name} title={t('import.title')} intro={t('import.intro')} />
      <ImportPanel slug={slug} />
    </AppShell>
  );
}
