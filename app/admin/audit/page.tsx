import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { AdminNav } from '@/components/admin/AdminNav';
import { AuditFilterForm } from '@/components/admin/audit/AuditFilterForm';
import { AuditTable } from '@/components/admin/audit/AuditTable';
import { AppShell } from '@/components/ui/AppShell';
import { auditFacets, auditQueryString, parseAuditFilters, queryAudit } from '@/lib/audit-query';
import { requirePageAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function AuditPage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requirePageAccess('/admin/audit');
  const t = await getTranslations('audit');
  const { filters, problems } = parseAuditFilters(await searchParams);
  const db = getDb();
  const [facets, page] = await Promise.all([auditFacets(db), queryAudit(db, filters)]);
  return (
    <AppShell user={user}>
      <AdminNav current="audit" />
      <h1 className="text-2xl font-bold" data-testid="page-title">{t('title')}</h1>
      <p className="mt-1 mb-4 text-slate-600">{t('intro')}</p>

      <AuditFilterForm filters={filters} facets={facets} />

      {problems.length > 0 && (
        <ul role="alert" data-testid="audit-problems" className="mt-3 space-y-1 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
          {problems.map((problem) => (
            <li key={problem.field}>
              {problem.code === 'to_before_from' ? t('filters.toBeforeFrom') : t('filters.ignored', { field: t(`filters.${problem.field}`) })}
            </li>
          ))}
        </ul>
      )}

      <section className="mt-4">
        {page.entries.length === 0 ? (
          <p className="rounded-xl border border-slate-200 bg-white p-4 text-sm text-slate-600" data-testid="audit-empty">
            {t('empty')}
          </p>
        ) : (
          <>
            <p className="mb-2 text-xs text-slate-500">{t('count', { count: page.entries.length })}</p>
            <AuditTable entries={page.entries} />
          </>
        )}
        <nav className="mt-3 flex gap-3 text-sm" aria-label={t('pages')}>
          {filters.cursor && (
            <Link href={`/admin/audit${auditQueryString(filters)}`} className="rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-100">
              {t('newest')}
            </Link>
          )}
          {page.nextCursor && (
            <Link
              href={`/admin/audit${auditQueryString(filters, page.nextCursor)}`}
              className="rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-100"
              data-testid="audit-next"
            >
              {t('next')}
            </Link>
          )}
        </nav>
      </section>
    </AppShell>
  );
}
