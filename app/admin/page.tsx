import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { AdminNav } from '@/components/admin/AdminNav';
import { BurnDownChart, CountsChart, SubmissionsChart } from '@/components/admin/dashboard/Charts';
import { LabelerAgreement } from '@/components/review/agreement/LabelerAgreement';
import { AppShell } from '@/components/ui/AppShell';
import { requirePageAccess } from '@/lib/auth/guard';
import { projectDashboard } from '@/lib/dashboard/stats';
import { getDb } from '@/lib/db';
import { projectAgreement } from '@/lib/metrics/project-agreement';
import { allProjects } from '@/lib/projects/overview';

export default async function AdminHome({ searchParams }: { searchParams: Promise<{ denied?: string; project?: string }> }) {
  const user = await requirePageAccess('/admin');
  const { denied, project: slug } = await searchParams;
  const t = await getTranslations('admin');
  const work = await getTranslations('work');
  const db = getDb();
  const projects = await allProjects(db);
  const selected = projects.find((p) => p.slug === slug) ?? projects[0];
  // The same figures as the reviewers' agreement panel; no lowest-agreement list here (limit 0).
  const [stats, agreement] = selected ? await Promise.all([projectDashboard(db, selected.id), projectAgreement(db, selected, 0)]) : [null, null];
  const card = 'rounded-xl border border-slate-200 bg-white p-4';
  const cell = 'px-3 py-2 text-left';
  const duration = (seconds: number | null) => (seconds === null ? '—' : seconds < 90 ? `${seconds} s` : `${Math.round(seconds / 60)} min`);

  return (
    <AppShell user={user} denied={denied === '1'}>
      <AdminNav current="dashboard" />
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-bold" data-testid="page-title">
          {t('title')}
        </h1>
        <nav className="ml-auto flex flex-wrap gap-1 text-sm" aria-label={t('projects')}>
          {projects.map((project) => (
            <Link
              key={project.id}
              href={`/admin?project=${project.slug}`}
              aria-current={project.id === selected?.id ? 'page' : undefined}
              className={`rounded-md px-3 py-1 ${project.id === selected?.id ? 'bg-brand-600 text-white' : 'border border-slate-300 hover:bg-slate-100'}`}
            >
              {project.name}
            </Link>
          ))}
        </nav>
      </div>

      {!selected || !stats || !agreement ? (
        <p className="mt-6 text-slate-600">{t('noProjects')}</p>
      ) : (
        <div className="mt-4 space-y-4" data-testid="dashboard">
          <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-5">
            {[
              ['items', stats.items.total],
              ['untouched', stats.items.untouched],
              ['inProgress', stats.items.inProgress],
              ['complete', stats.items.complete],
              ['slotsFilled', `${stats.slots.filled} / ${stats.slots.total}`],
            ].map(([key, value]) => (
              <div key={key} className={card} data-testid={`stat-${key}`}>
                <p className="text-xs text-slate-500">{t(`stats.${key}`)}</p>
                <p className="text-2xl font-bold">{value}</p>
              </div>
            ))}
          </div>
          <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
            <div className={card}>
              <p className="text-xs text-slate-500">{t('stats.activeLabelers')}</p>
              <p className="text-2xl font-bold">{stats.activeLabelers.lastSevenDays}</p>
              <p className="text-xs text-slate-500">{t('stats.holdingLeases', { count: stats.activeLabelers.holdingLeases })}</p>
            </div>
            <div className={card}>
              <p className="text-xs text-slate-500">{t('stats.medianReply')}</p>
              <p className="text-2xl font-bold">{duration(stats.medianSeconds.demonstration)}</p>
            </div>
            <div className={card}>
              <p className="text-xs text-slate-500">{t('stats.medianRanking')}</p>
              <p className="text-2xl font-bold">{duration(stats.medianSeconds.ranking)}</p>
            </div>
            <div className={card}>
              <p className="text-xs text-slate-500">{t('stats.itemFlags')}</p>
              <p className="text-2xl font-bold">{stats.itemNotes.reduce((n, note) => n + note.count, 0)}</p>
            </div>
          </div>
          <div className="grid gap-4 lg:grid-cols-2">
            <section className={card}>
              <h2 className="mb-2 font-semibold">{t('charts.perDay')}</h2>
              <SubmissionsChart data={stats.perDay} labels={{ demonstrations: t('demonstrations'), rankings: t('rankings') }} />
            </section>
            <section className={card}>
              <h2 className="mb-2 font-semibold">{t('charts.burnDown')}</h2>
              <BurnDownChart data={stats.burnDown} label={t('charts.remaining')} />
            </section>
          </div>
          <div className="grid gap-4 lg:grid-cols-2">
            <section className={card}>
              <h2 className="mb-2 font-semibold">{t('charts.flags')}</h2>
              {stats.flags.length === 0 ? (
                <p className="text-sm text-slate-500">{t('charts.noFlags')}</p>
              ) : (
                <CountsChart data={stats.flags.map((f) => ({ name: work(`flags.${f.flag}`), count: f.count }))} label={t('charts.count')} />
              )}
            </section>
            <section className={card}>
              <h2 className="mb-2 font-semibold">{t('labelers')}</h2>
              <table className="w-full text-sm" data-testid="labelers-table">
                <thead className="text-slate-500">
                  <tr>
                    <th className={cell}>{t('people.name')}</th>
                    <th className={cell}>{t('demonstrations')}</th>
                    <th className={cell}>{t('rankings')}</th>
                    <th className={cell}>{t('skips')}</th>
                    <th className={cell}>{t('medianTask')}</th>
                  </tr>
                </thead>
                <tbody>
                  {stats.labelers.map((row) => (
                    <tr key={row.userId} className="border-t border-slate-100">
                      <td className={cell} title={row.email}>
                        {row.name}
                      </td>
                      <td className={cell}>{row.demonstrations}</td>
                      <td className={cell}>{row.rankings}</td>
                      <td className={cell}>{row.skips}</td>
                      <td className={cell}>{duration(row.medianSeconds)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          </div>
          <section className={card} data-testid="labeler-agreement">
            <div className="mb-2 flex flex-wrap items-baseline gap-3">
              <h2 className="font-semibold">{t('agreement.title')}</h2>
              <Link href={`/review/agreement?project=${selected.slug}`} className="ml-auto text-sm text-brand-700 underline hover:no-underline">
                {t('agreement.all')}
              </Link>
            </div>
            <LabelerAgreement report={agreement} compact />
          </section>
        </div>
      )}
    </AppShell>
  );
}
