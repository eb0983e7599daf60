import { getTranslations } from 'next-intl/server';
import { AppShell, Coming } from '@/components/ui/AppShell';
import { requirePageAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { projectsForMember } from '@/lib/projects/overview';

export default async function LabelHome({ searchParams }: { searchParams: Promise<{ denied?: string }> }) {
  const user = await requirePageAccess('/label');
  const { denied } = await searchParams;
  const t = await getTranslations('label');
  const projects = await projectsForMember(getDb(), user.id);
  return (
    <AppShell user={user} denied={denied === '1'}>
      <h1 className="text-2xl font-bold" data-testid="page-title">{t('title')}</h1>
      <p className="mt-1 text-slate-600">{t('intro')}</p>
      <section className="mt-6">
        <h2 className="mb-2 font-semibold">{t('projects')}</h2>
        {projects.length === 0 ? (
          <p className="text-sm text-slate-600">{t('noProjects')}</p>
        ) : (
          <ul className="grid gap-3 sm:grid-cols-2">
            {projects.map((project) => (
              <li key={project.id} className="rounded-xl border border-slate-200 bg-white p-4">
                <p className="font-medium">{project.name}</p>
                <p className="text-sm text-slate-600">{t('items', { count: project.items })}</p>
              </li>
            ))}
          </ul>
        )}
      </section>
      <div className="mt-6">
        <Coming title={t('queue')} note={t('queueNote')} />
      </div>
    </AppShell>
  );
}
