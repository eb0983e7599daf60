import { getTranslations } from 'next-intl/server';
import { AppShell, Coming } from '@/components/ui/AppShell';
import { requirePageAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { reviewBacklog } from '@/lib/projects/overview';

export default async function ReviewHome({ searchParams }: { searchParams: Promise<{ denied?: string }> }) {
  const user = await requirePageAccess('/review');
  const { denied } = await searchParams;
  const t = await getTranslations('review');
  const backlog = await reviewBacklog(getDb(), user);
  return (
    <AppShell user={user} denied={denied === '1'}>
      <h1 className="text-2xl font-bold" data-testid="page-title">{t('title')}</h1>
      <p className="mt-1 text-slate-600">{t('intro')}</p>
      <div className="mt-6 inline-block rounded-xl border border-slate-200 bg-white p-4">
        <p className="text-sm text-slate-600">{t('pending')}</p>
        <p className="text-3xl font-bold" data-testid="review-backlog">{backlog}</p>
      </div>
      <div className="mt-6">
        <Coming title={t('title')} note={t('queueNote')} />
      </div>
    </AppShell>
  );
}
