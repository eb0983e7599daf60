import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { itemsQueryString, type ItemPage, type ItemsQuery } from '@/lib/projects/gold';
import type { GoldAnswer } from '@/lib/projects/gold-tiers';

const cell = 'px-3 py-2 text-left align-top';
const pageLink = 'rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-100';

export async function GoldBadge({ gold }: { gold: GoldAnswer }) {
  const t = await getTranslations('items');
  return (
    <span
      className="rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-900"
      title={gold.source === 'admin' ? t('badgeAdmin') : t('badgeImported', { source: gold.source })}
      data-testid="gold-badge"
    >
      {t('badge')}
    </span>
  );
}

/** One page of items; "open" keeps the search and page so the list stays where it was. */
export async function ItemsTable({ slug, page, query }: { slug: string; page: ItemPage; query: ItemsQuery }) {
  const t = await getTranslations('items');
  const base = `/admin/projects/${slug}/items`;
  const href = (changes: Partial<ItemsQuery>) => `${base}${itemsQueryString({ ...query, page: page.page, ...changes })}`;
  if (page.items.length === 0) {
    return (
      <p className="rounded-xl border border-slate-200 bg-white p-4 text-sm text-slate-600" data-testid="items-empty">
        {t('empty')}
      </p>
    );
  }
  return (
    <div className="rounded-xl border border-slate-200 bg-white p-4">
      <p className="mb-2 text-xs text-slate-500" data-testid="items-count">
        {t('count', { total: page.total })}
      </p>
      <div className="overflow-x-auto">
        <table className="w-full text-sm" data-testid="items-table">
          <thead className="text-slate-500">
            <tr>
              <th className={cell}>{t('columns.prompt')}</th>
              <th className={cell}>{t('columns.externalId')}</th>
              <th className={cell}>{t('columns.candidates')}</th>
              <th className={cell}>{t('columns.gold')}</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((item) => (
              <tr
                key={item.id}
                className={`border-t border-slate-100 ${item.id === query.item ? 'bg-brand-50' : ''}`}
                aria-current={item.id === query.item ? 'true' : undefined}
                data-testid="item-row"
              >
                <td className={`${cell} max-w-sm`}>
                  <Link href={href({ item: item.id })} className="text-brand-700 hover:underline" title={t('open')}>
                    {item.snippet || t('noPrompt')}
                  </Link>
                </td>
                <td className={`${cell} max-w-40 truncate font-mono text-xs text-slate-600`} title={item.externalId}>
                  {item.externalId}
                </td>
                <td className={cell}>{item.candidates}</td>
                <td className={cell}>{item.gold && <GoldBadge gold={item.gold} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {page.pages > 1 && (
        <nav className="mt-3 flex items-center gap-3 text-sm" aria-label={t('pages')}>
          {page.page > 1 && (
            <Link href={href({ page: page.page - 1, item: undefined })} className={pageLink} rel="prev">
              {t('previous')}
            </Link>
          )}
          <span className="text-slate-600">{t('pageOf', { page: page.page, pages: page.pages })}</span>
          {page.page < page.pages && (
            <Link href={href({ page: page.page + 1, item: undefined })} className={pageLink} rel="next" data-testid="items-next">
              {t('next')}
            </Link>
          )}
        </nav>
      )}
    </div>
  );
}
