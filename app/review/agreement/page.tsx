import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { AgreementChart } from '@/components/review/agreement/AgreementChart';
import { Figure } from '@/components/review/agreement/Figure';
import { LabelerAgreement } from '@/components/review/agreement/LabelerAgreement';
import { AppShell } from '@/components/ui/AppShell';
import { RATING_DIMENSIONS } from '@/lib/annotation/schemas';
import { requirePageAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { agreementForViewer } from '@/lib/metrics/project-agreement';
import { allProjects, projectsForMember } from '@/lib/projects/overview';

export default async function AgreementPage({ searchParams }: { searchParams: Promise<{ project?: string }> }) {
  const user = await requirePageAccess('/review/agreement');
  const { project: slug } = await searchParams;
  const t = await getTranslations('agreement');
  const work = await getTranslations('work');
  const db = getDb();
  const projects = user.role === 'ADMIN' ? await allProjects(db) : await projectsForMember(db, user.id);
  const selected = projects.find((p) => p.slug === slug) ?? projects[0];
  const report = selected ? await agreementForViewer(db, user, selected.slug) : null;

  const hint = t('notEnoughData');
  const card = 'rounded-xl border border-slate-200 bg-white p-4';
  const cell = 'px-3 py-2 text-left';

  return (
    <AppShell user={user}>
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-bold" data-testid="page-title">
          {t('title')}
        </h1>
        <nav className="ml-auto flex flex-wrap gap-1 text-sm" aria-label={t('projects')} data-testid="project-picker">
          {projects.map((project) => (
            <Link
              key={project.id}
              href={`/review/agreement?project=${project.slug}`}
              aria-current={project.id === selected?.id ? 'page' : undefined}
              className={`rounded-md px-3 py-1 ${project.id === selected?.id ? 'bg-brand-600 text-white' : 'border border-slate-300 hover:bg-slate-100'}`}
            >
              {project.name}
            </Link>
          ))}
        </nav>
      </div>
      <p className="mt-1 text-slate-600">{t('intro')}</p>

      {!report ? (
        <p className="mt-6 text-slate-600">{t('noProjects')}</p>
      ) : (
        <div className="mt-4 space-y-4" data-testid="agreement-panel">
          <p className="text-sm text-slate-600" data-testid="agreement-summary">
            {t('summary', { rankings: report.rankings, items: report.items, labelers: report.labelers })}
          </p>

          <section className={card}>
            <h2 className="font-semibold">{t('ratings.title')}</h2>
            <p className="mb-3 text-xs text-slate-500">{t('ratings.help')}</p>
            <div className="grid gap-3 sm:grid-cols-3">
              {RATING_DIMENSIONS.map((dimension) => (
                <div key={dimension} className="rounded-lg bg-slate-50 p-3" data-testid={`alpha-${dimension}`}>
                  <p className="text-xs text-slate-500">{work(`dimensions.${dimension}`)}</p>
                  <Figure value={report.ratings[dimension].alpha} hint={hint} />
                  <p className="text-xs text-slate-500">{t('units', { count: report.ratings[dimension].units })}</p>
                </div>
              ))}
            </div>
          </section>

          <div className="grid gap-4 lg:grid-cols-2">
            <section className={card}>
              <h2 className="font-semibold">{t('ranking.title')}</h2>
              <div className="mt-3 grid gap-3 sm:grid-cols-2">
                <div className="rounded-lg bg-slate-50 p-3" data-testid="ranking-tau">
                  <p className="text-xs text-slate-500">{t('ranking.tau')}</p>
                  <Figure value={report.ranking.tau.mean} hint={hint} />
                  <p className="text-xs text-slate-500">{t('ranking.counts', { items: report.ranking.tau.items, pairs: report.ranking.tau.pairs })}</p>
                  <p className="mt-1 text-xs text-slate-400">{t('ranking.tauHelp')}</p>
                </div>
                <div className="rounded-lg bg-slate-50 p-3" data-testid="ranking-pairwise">
                  <p className="text-xs text-slate-500">{t('ranking.pairwise')}</p>
                  <Figure value={report.ranking.pairwise.mean} hint={hint} />
                  <p className="text-xs text-slate-500">
                    {t('ranking.counts', { items: report.ranking.pairwise.items, pairs: report.ranking.pairwise.pairs })}
                  </p>
                  <p className="mt-1 text-xs text-slate-400">{t('ranking.pairwiseHelp')}</p>
                </div>
              </div>
            </section>

            <section className={card}>
              <h2 className="font-semibold">{t('flags.title')}</h2>
              <p className="mb-2 text-xs text-slate-500">{t('flags.help')}</p>
              <table className="w-full text-sm" data-testid="flags-table">
                <thead className="text-slate-500">
                  <tr>
                    <th className={cell}>{t('flags.flag')}</th>
                    <th className={cell}>{t('flags.alpha')}</th>
                    <th className={cell}>{t('flags.set')}</th>
                    <th className={cell}>{t('flags.units')}</th>
                  </tr>
                </thead>
                <tbody>
                  {report.flags.map((flag) => (
                    <tr key={flag.flag} className="border-t border-slate-100" data-testid={`flag-${flag.flag}`}>
                      <td className={cell}>{work.has(`flags.${flag.flag}`) ? work(`flags.${flag.flag}`) : flag.flag}</td>
                      <td className={cell}>
                        <Figure value={flag.alpha} hint={hint} size="small" />
                      </td>
                      <td className={cell}>{flag.count}</td>
                      <td className={cell}>{flag.units}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          </div>

          <section className={card}>
            <h2 className="font-semibold">{t('overTime.title')}</h2>
            <p className="mb-2 text-xs text-slate-500">{t('overTime.help')}</p>
            {report.overTime.length === 0 ? (
              <p className="text-sm text-slate-500" data-testid="agreement-chart-empty">
                {t('overTime.empty')}
              </p>
            ) : (
              <AgreementChart data={report.overTime} labels={{ tau: t('overTime.tau'), pairwise: t('overTime.pairwise') }} />
            )}
          </section>

          <section className={card}>
            <h2 className="mb-2 font-semibold">{t('labelers.title')}</h2>
            <LabelerAgreement report={report} />
          </section>

          <section className={card}>
            <h2 className="font-semibold">{t('lowest.title')}</h2>
            <p className="mb-2 text-xs text-slate-500">{t('lowest.help')}</p>
            {report.lowest.length === 0 ? (
              <p className="text-sm text-slate-500" data-testid="lowest-empty">
                {t('lowest.empty')}
              </p>
            ) : (
              <div className="overflow-x-auto">
                <table className="w-full text-sm" data-testid="lowest-items">
                  <thead className="text-slate-500">
                    <tr>
                      <th className={cell}>{t('lowest.prompt')}</th>
                      <th className={cell}>{t('lowest.tau')}</th>
                      <th className={cell}>{t('lowest.pairwise')}</th>
                      <th className={cell}>{t('lowest.labelers')}</th>
                      <th className={cell} />
                    </tr>
                  </thead>
                  <tbody>
                    {report.lowest.map((item) => (
                      <tr key={item.itemId} className="border-t border-slate-100">
                        <td className={`${cell} max-w-md truncate`} title={item.snippet}>
                          {item.snippet || <span className="text-slate-400">{t('lowest.noPrompt')}</span>}
                        </td>
                        <td className={cell}>
                          <Figure value={item.tau} hint={hint} size="small" />
                        </td>
                        <td className={cell}>
                          <Figure value={item.pairwise} hint={hint} size="small" />
                        </td>
                        <td className={cell}>{item.labelers}</td>
                        <td className={cell}>
                          <Link href={item.href} className="text-brand-700 underline hover:no-underline">
                            {t('lowest.open')}
                          </Link>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        </div>
      )}
    </AppShell>
  );
}
