import { getTranslations } from 'next-intl/server';
import { AdminNav } from '@/components/admin/AdminNav';
import { EndpointsManager } from '@/components/admin/endpoints/EndpointsManager';
import { OwnModelHint } from '@/components/admin/endpoints/OwnModelHint';
import { AppShell } from '@/components/ui/AppShell';
import { requirePageAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { listEndpoints } from '@/lib/generation/endpoints';

export default async function EndpointsPage() {
  const user = await requirePageAccess('/admin/endpoints');
  const t = await getTranslations('endpoints');
  const endpoints = await listEndpoints(getDb());
  return (
    <AppShell user={user}>
      <AdminNav current="endpoints" />
      <h1 className="text-2xl font-bold" data-testid="page-title">
        {t('title')}
      </h1>
      <p className="mt-1 mb-6 max-w-3xl text-slate-600">{t('intro')}</p>
      <div className="grid items-start gap-6 lg:grid-cols-[1fr_20rem]">
        <EndpointsManager initial={endpoints} />
        <OwnModelHint />
      </div>
    </AppShell>
  );
}
