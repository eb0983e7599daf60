import { getFormatter, getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { AdminNav } from '@/components/admin/AdminNav';
import { GuidelinesHeader } from '@/components/admin/guidelines/GuidelinesHeader';
import { SideBySide } from '@/components/admin/guidelines/SideBySide';
import { AppShell } from '@/components/ui/AppShell';
import { requirePageAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { compareGuidelineVersions, guidelineHistory, type GuidelineVersionRow } from '@/lib/guidelines/admin';
import { projectOr404 } from '../project';

type Search = { left?: string | string[]; right?: string | string[] };

/** The version a query parameter names, when it names a published one. */
function chosen(value: string | string[] | undefined, history: GuidelineVersionRow[]): { version: number | null; bad: string | null } {
  if (value === undefined) return { version: null, bad: null };
  const raw = Array.isArray(value) ? (value[0] ?? '') : value;
  const version = /^\d+$/.test(raw) ? Number(raw) : NaN;
  return history.some((row) => row.version === version) ? { version, bad: null } : { version: null, bad: raw };
}

export default async function GuidelineHistoryPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<Search> }) {
  const { slug } = await params;
  const user = await requirePageAccess(`/admin/projects/${encodeURIComponent(slug)}/guidelines/history`);
  const db = getDb();
  const project = await projectOr404(db, slug);
  const t = await getTranslations('guidelines');
  const format = await getFormatter();
  const history = await guidelineHistory(db, project.id);
  const search = await searchParams;

  const left = chosen(search.left, history);
  const right = chosen(search.right, history);
  const bad = left.bad ?? right.bad;
  const canCompare = history.length >= 2;
  // By default: the latest version against the one before it.
  const pair = canCompare
    ? left.version !== null && right.version !== null
      ? { left: left.version, right: right.version }
      : { left: history[1]!.version, right: history[0]!.version }
    : null;
  const comparison = pair ? await compareGuidelineVersions(db, project.id, pair) : null;

  const when = (date: Date) => format.dateTime(date, { dateStyle: 'medium', timeStyle: 'short' });
  const cell = 'px-3 py-2 text-left';
  const base = `/admin/projects/${encodeURIComponent(project.slug)}/guidelines/history`;

  return (
    <AppShell user={user}>
      <AdminNav current="projects" />
      <GuidelinesHeader project={project} current="history" />

      <section>
        <h2 className="mb-2 font-semibold">{t('history.heading')}</h2>
        {history.length === 0 ? (
          <p className="text-sm text-slate-600">{t('history.empty')}</p>
        ) : (
          <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
            <table className="w-full text-sm" data-testid="versions-table">
              <thead className="bg-slate-50 text-slate-600">
                <tr>
                  <th className={cell}>{t('history.version')}</th>
                  <th className={cell}>{t('history.title')}</th>
                  <th className={cell}>{t('history.author')}</th>
                  <th className={cell}>{t('history.published')}</th>
                  <th className={cell}>{t('history.acknowledged')}</th>
                  <th className={cell}>
                    <span className="sr-only">{t('history.compare')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {history.map((row) => (
                  <tr key={row.id} className="border-t border-slate-100" data-testid={`version-${row.version}`}>
                    <td className={`${cell} font-medium`}>v{row.version}</td>
                    <td className={cell}>{row.title}</td>
                    <td className={cell}>{row.author ? row.author.name : <span className="text-slate-500">{t('history.formerUser')}</span>}</td>
                    <td className={cell}>{when(row.publishedAt)}</td>
                    <td className={cell}>{t('history.people', { count: row.acknowledgements })}</td>
                    <td className={cell}>
                      {row.version > 1 && history.some((other) => other.version === row.version - 1) && (
                        <Link href={`${base}?left=${row.version - 1}&right=${row.version}#compare`} className="text-brand-700 hover:underline">
                          {t('history.changesFrom', { version: row.version - 1 })}
                        </Link>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {history.length > 0 && (
        <section className="mt-6" id="compare">
          <h2 className="mb-2 font-semibold">{t('history.compareHeading')}</h2>
          {!pair || !comparison ? (
            <p className="text-sm text-slate-600">{t('history.needTwo')}</p>
          ) : (
            <>
              {bad !== null && (
                <p role="status" className="mb-3 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800">
                  {t('history.badVersion', { version: bad })}
                </p>
              )}
              <form key={`${pair.left}-${pair.right}`} method="get" action={base} className="mb-3 flex flex-wrap items-end gap-3 text-sm" data-testid="compare-form">
                {(['left', 'right'] as const).map((side) => (
                  <label key={side} className="block">
                    <span className="text-slate-600">{t(`history.${side}`)}</span>
                    <select
                      name={side}
                      defaultValue={String(pair[side])}
                      data-testid={`compare-${side}`}
                      className="mt-1 block rounded-md border border-slate-300 bg-white px-2 py-1.5"
                    >
                      {history.map((row) => (
                        <option key={row.version} value={row.version}>
                          {t('history.option', { version: row.version, title: row.title })}
                        </option>
                      ))}
                    </select>
                  </label>
                ))}
                <button type="submit" className="rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700" data-testid="compare">
                  {t('history.compare')}
                </button>
              </form>
              <p className="mb-2 text-sm text-slate-600" data-testid="compare-summary">
                {comparison.removed + comparison.added === 0 ? t('history.identical') : t('history.summary', { removed: comparison.removed, added: comparison.added })}
              </p>
              <SideBySide
                rows={comparison.rows}
                labels={{
                  left: t('history.side', { version: comparison.left.version, title: comparison.left.title }),
                  right: t('history.side', { version: comparison.right.version, title: comparison.right.title }),
                  removed: t('diff.removed'),
                  added: t('diff.added'),
                  empty: t('diff.empty'),
                }}
              />
            </>
          )}
        </section>
      )}
    </AppShell>
  );
}
