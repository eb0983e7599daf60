import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { AppShell } from '@/components/ui/AppShell';
import { requirePageAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { reviewProjects } from '@/lib/review/queue';

export default async function ReviewHome({ searchParams }: { searchParams: Promise<{ denied?: string }> }) {
  const user = await requirePageAccess('/review');
  const { denied } = await searchParams;
  const t = await getTranslations('review');
  const projects = await reviewProjects(getDb(), user.id);
  const backlog = projects.reduce((sum, project) => sum + project.backlog, 0);
  return (
    <AppShell user={user} denied={denied === '1'}>
      <div className="flex flex-wrap items-start gap-4">
        <div>
          <h1 className="text-2xl font-bold" data-testid="page-title">{t('title')}</h1>
          <p className="mt-1 text-slate-600">{t('intro')}</p>
        </div>
        <Link href="/review/agreement" className="ml-auto rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-100" data-testid="agreement-link">
          {t('agreement')}
        </Link>
      </div>
      <div className="mt-6 inline-block rounded-xl border border-slate-200 bg-white p-4">
        <p className="text-sm text-slate-600">{t('pending')}</p>
        <p className="text-3xl font-bold" data-testid="review-backlog">{backlog}</p>
      </div>

      <section className="mt-6">
        <h2 className="mb-2 font-semibold">{t('projects')}</h2>
        {projects.length === 0 ? (
          <p className="text-sm text-slate-600">{t('noProjects')}</p>
        ) : (
          <ul className="grid gap-3 sm:grid-cols-2">
            {projects.map((project) => (
              <li key={project.id} className="rounded-xl border border-slate-200 bg-white p-4" data-testid={`project-${project.slug}`}>
                <p className="font-medium">{project.name}</p>
                <p className="text-sm text-slate-600" data-testid="project-backlog">{t('backlog', { count: project.backlog })}</p>
                <div className="mt-3">
                  <Link href={`/review/${project.slug}`} className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700">
                    {t('reviewReplies')}
                  </Link>
                </div>
                {project.rankedItems.length > 0 && (
                  <div className="mt-4">
                    <p className="mb-1 text-xs font-semibold uppercase text-slate-500">{t('rankedItems')}</p>
                    <ul className="space-y-1 text-sm" data-testid="ranked-items">
                      {project.rankedItems.map((item) => (
                        <li key={item.id} className="flex gap-2">
                          <Link href={`/review/items/${item.id}`} className="line-clamp-1 flex-1 text-brand-700 underline">
                            {item.prompt}
                          </Link>
                          <span className="shrink-0 text-xs text-slate-500">
                            {t('rankings', { count: item.rankings })}
                            {item.invalid > 0 && ` · ${t('invalid', { count: item.invalid })}`}
                          </span>
                        </li>
                      ))}
                    </ul>
                  </div>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </AppShell>
  );
}
