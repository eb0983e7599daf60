import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { AdminNav } from '@/components/admin/AdminNav';
import { GenerationManager } from '@/components/admin/generation/GenerationManager';
import { ProjectPageHeader } from '@/components/admin/projects/ProjectPageHeader';
import { AppShell } from '@/components/ui/AppShell';
import { requirePageAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { DomainError } from '@/lib/errors';
import { listEndpoints } from '@/lib/generation/endpoints';
import { listGenerationRuns } from '@/lib/generation/runs';
import { requireProject } from '@/lib/projects/admin';
import { itemCounts } from '@/lib/projects/item-refs';
import { MAX_CANDIDATES } from '@/lib/queue/claim';

export default async function GeneratePage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<{ endpoint?: string | string[] }> }) {
  const { slug } = await params;
  const { endpoint: preselected } = await searchParams;
  const user = await requirePageAccess(`/admin/projects/${slug}/generate`);
  const t = await getTranslations('generation');
  const db = getDb();
  const project = await requireProject(db, slug).catch((error) => {
    if (error instanceof DomainError) notFound();
    throw error;
  });
  const [endpoints, counts, runs] = await Promise.all([listEndpoints(db), itemCounts(db, project.id), listGenerationRuns(db, project.id)]);
  return (
    <AppShell user={user}>
      <AdminNav current="projects" />
      <ProjectPageHeader slug={slug} projectName={project.name} title={t('title')} intro={t('intro')} />
      <GenerationManager
        slug={slug}
        // Switched-off endpoints cannot be called; offering them would only end in a refusal.
        endpoints={endpoints.filter((e) => e.active).map(({ id, name, model, defaults }) => ({ id, name, model, defaults }))}
        counts={counts}
        maxN={MAX_CANDIDATES}
        preselected={typeof preselected === 'string' ? preselected : undefined}
        runs={runs}
      />
    </AppShell>
  );
}
