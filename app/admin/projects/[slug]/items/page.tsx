import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { AdminNav } from '@/components/admin/AdminNav';
import { ProjectPageHeader } from '@/components/admin/projects/ProjectPageHeader';
import { GoldEditor } from '@/components/admin/items/GoldEditor';
import { ItemsSearch } from '@/components/admin/items/ItemsSearch';
import { GoldBadge, ItemsTable } from '@/components/admin/items/ItemsTable';
import { Conversation } from '@/components/label/Conversation';
import { AppShell } from '@/components/ui/AppShell';
import { requirePageAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { DomainError } from '@/lib/errors';
import { requireProject } from '@/lib/projects/admin';
import { goldItem, listProjectItems, parseItemsQuery } from '@/lib/projects/gold';

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function ItemsPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: SearchParams }) {
  const { slug } = await params;
  const user = await requirePageAccess(`/admin/projects/${slug}/items`);
  const t = await getTranslations('items');
  const db = getDb();
  const project = await requireProject(db, slug).catch((error) => {
    if (error instanceof DomainError) notFound();
    throw error;
  });
  const query = parseItemsQuery(await searchParams);
  const [page, selected] = await Promise.all([
    listProjectItems(db, project.id, query),
    query.item
      ? goldItem(db, project.id, query.item).catch((error) => {
          if (error instanceof DomainError) return null;
          throw error;
        })
      : null,
  ]);

  return (
    <AppShell user={user}>
      <AdminNav current="projects" />
      <ProjectPageHeader slug={slug} projectName={project.name} title={t('title')} intro={t('intro')} />
      <ItemsSearch slug={slug} query={query} />
      <div className="mt-4 grid items-start gap-4 lg:grid-cols-2">
        <ItemsTable slug={slug} page={page} query={query} />
        <section className="rounded-xl border border-slate-200 bg-white p-4 lg:sticky lg:top-4" data-testid="gold-panel" aria-label={t('panel.label')}>
          {!query.item ? (
            <p className="text-sm text-slate-600">{t('choose')}</p>
          ) : !selected ? (
            <p role="alert" className="text-sm text-red-700">
              {t('notFound')}
            </p>
          ) : (
            <div className="space-y-4">
              <div className="flex flex-wrap items-center gap-2">
                <h2 className="font-semibold">{t('panel.title')}</h2>
                <span className="font-mono text-xs text-slate-500">{selected.externalId}</span>
                {selected.gold && <GoldBadge gold={selected.gold} />}
              </div>
              <Conversation system={selected.system} messages={selected.messages} />
              <GoldEditor key={selected.id} slug={slug} item={{ id: selected.id, candidates: selected.candidates, gold: selected.gold }} />
            </div>
          )}
        </section>
      </div>
    </AppShell>
  );
}
