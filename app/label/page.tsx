import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { AppShell } from '@/components/ui/AppShell';
import { myWork } from '@/lib/annotation/my-work';
import { requirePageAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { projectsForMember } from '@/lib/projects/overview';

export default async function LabelHome({ searchParams }: { searchParams: Promise<{ denied?: string }> }) {
  const user = await requirePageAccess('/label');
  const { denied } = await searchParams;
  const t = await getTranslations('label');
  const db = getDb();
  const [projects, work] = await Promise.all([projectsForMember(db, user.id), myWork(db, user.id)]);
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
              <li key={project.id} className="rounded-xl border border-slate-200 bg-white p-4" data-testid={`project-${project.slug}`}>
                <p className="font-medium">{project.name}</p>
                <p className="text-sm text-slate-600">{t('items', { count: project.items })}</p>
                <div className="mt-3 flex gap-2">
                  <Link href={`/label/${project.slug}/write`} className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700">
                    {t('write')}
                  </Link>
                  <Link href={`/label/${project.slug}/rank`} className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700">
                    {t('rank')}
                  </Link>
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="mt-8">
        <h2 className="mb-2 font-semibold">{t('submittedTitle')}</h2>
        <div className="mb-3 flex gap-3">
          <div className="rounded-xl border border-slate-200 bg-white px-4 py-2">
            <p className="text-xs text-slate-500">{t('today')}</p>
            <p className="text-2xl font-bold" data-testid="count-today">{work.today}</p>
          </div>
          <div className="rounded-xl border border-slate-200 bg-white px-4 py-2">
            <p className="text-xs text-slate-500">{t('thisWeek')}</p>
            <p className="text-2xl font-bold" data-testid="count-week">{work.thisWeek}</p>
          </div>
        </div>
        {work.entries.length === 0 ? (
          <p className="text-sm text-slate-600">{t('nothingSubmitted')}</p>
        ) : (
          <ul className="divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white" data-testid="my-work">
            {work.entries.map((entry) => (
              <li key={entry.id} className="px-4 py-3 text-sm">
                <div className="flex flex-wrap items-center gap-2">
                  <span className="rounded bg-slate-100 px-2 py-0.5 text-xs font-medium">{t(`kinds.${entry.kind}`)}</span>
                  <span className="text-slate-500">{entry.projectName}</span>
                  <span className="text-xs text-slate-400">{new Date(entry.createdAt).toLocaleString()}</span>
                  <span className="ml-auto text-xs text-slate-500">{t(`statuses.${entry.status}`)}</span>
                </div>
                <p className="mt-1 line-clamp-1 font-medium">{entry.prompt}</p>
                {entry.text && <p className="line-clamp-2 whitespace-pre-wrap text-slate-600">{entry.text}</p>}
                {entry.review && (
                  <p className="mt-1 rounded bg-amber-50 px-2 py-1 text-amber-900">
                    {t('reviewerSaid', { verdict: t(`verdicts.${entry.review.verdict}`) })} {entry.review.comment}
                  </p>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </AppShell>
  );
}
