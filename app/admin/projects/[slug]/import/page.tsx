import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { AdminNav } from '@/components/admin/AdminNav';
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
      <p className="text-sm">
        <Link href={`/admin/projects/${slug}`} className="text-brand-700 hover:underline">
          ← {project.name}
        </Link>
      </p>
      <h1 className="mb-1 text-2xl font-bold" data-testid="page-title">
        {t('import.title')}
      </h1>
      <p className="mb-4 text-sm text-slate-600">{t('import.intro')}</p>
      <ImportPanel slug={slug} />
    </AppShell>
  );
}
