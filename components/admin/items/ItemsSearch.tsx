import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import type { ItemsQuery } from '@/lib/projects/gold';

const field = 'mt-1 block w-full rounded-md border border-slate-300 px-2 py-1 text-sm';

/** A plain GET form: the search lives in the query string, so a result page can be bookmarked. */
export async function ItemsSearch({ slug, query }: { slug: string; query: ItemsQuery }) {
  const t = await getTranslations('items.search');
  const base = `/admin/projects/${slug}/items`;
  return (
    <form method="get" action={base} className="flex flex-wrap items-end gap-3 rounded-xl border border-slate-200 bg-white p-4" data-testid="items-search">
      <label className="min-w-60 flex-1 text-sm">
        {t('label')}
        <input name="q" type="search" defaultValue={query.q ?? ''} maxLength={200} autoComplete="off" className={field} />
      </label>
      <label className="flex items-center gap-2 text-sm">
        <input name="gold" type="checkbox" value="1" defaultChecked={query.gold === '1'} />
        {t('goldOnly')}
      </label>
      <button type="submit" className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700">
        {t('apply')}
      </button>
      <Link href={base} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100">
        {t('clear')}
      </Link>
    </form>
  );
}
