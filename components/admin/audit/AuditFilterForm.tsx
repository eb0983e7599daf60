import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import type { AuditFilters } from '@/lib/audit-query';

const field = 'mt-1 block w-full rounded-md border border-slate-300 px-2 py-1 text-sm';

/** A plain GET form: the filters live in the query string, so a filtered view can be bookmarked and shared. */
export async function AuditFilterForm({
  filters,
  facets,
}: {
  filters: AuditFilters;
  facets: { actions: string[]; entityTypes: string[]; actors: string[] };
}) {
  const t = await getTranslations('audit');
  // A filter value that no entry uses (yet) is kept as a choice, so the form shows what is applied.
  const actions = filters.action && !facets.actions.includes(filters.action) ? [filters.action, ...facets.actions] : facets.actions;
  const entities = filters.entity && !facets.entityTypes.includes(filters.entity) ? [filters.entity, ...facets.entityTypes] : facets.entityTypes;
  return (
    <form method="get" action="/admin/audit" className="grid gap-3 rounded-xl border border-slate-200 bg-white p-4 sm:grid-cols-3 lg:grid-cols-6" data-testid="audit-filters">
      <label className="text-sm">
        {t('filters.action')}
        <select name="action" defaultValue={filters.action ?? ''} className={field}>
          <option value="">{t('filters.anyAction')}</option>
          {actions.map((action) => (
            <option key={action} value={action}>
              {action}
            </option>
          ))}
        </select>
      </label>
      <label className="text-sm">
        {t('filters.actor')}
        <input name="actor" type="email" list="audit-actors" defaultValue={filters.actor ?? ''} autoComplete="off" className={field} />
        <datalist id="audit-actors">
          {facets.actors.map((email) => (
            <option key={email} value={email} />
          ))}
        </datalist>
      </label>
      <label className="text-sm">
        {t('filters.entity')}
        <select name="entity" defaultValue={filters.entity ?? ''} className={field}>
          <option value="">{t('filters.anyEntity')}</option>
          {entities.map((entity) => (
            <option key={entity} value={entity}>
              {entity}
            </option>
          ))}
        </select>
      </label>
      <label className="text-sm">
        {t('filters.from')}
        <input name="from" type="date" defaultValue={filters.from ?? ''} className={field} />
      </label>
      <label className="text-sm">
        {t('filters.to')}
        <input name="to" type="date" defaultValue={filters.to ?? ''} className={field} />
      </label>
      <div className="flex items-end gap-2">
        <button type="submit" className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700">
          {t('filters.apply')}
        </button>
        <Link href="/admin/audit" className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100">
          {t('filters.clear')}
        </Link>
      </div>
    </form>
  );
}
