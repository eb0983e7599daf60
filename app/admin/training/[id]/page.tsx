import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { AdminNav } from '@/components/admin/AdminNav';
import { RunLive } from '@/components/admin/training/RunLive';
import { AppShell } from '@/components/ui/AppShell';
import { requirePageAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { getTrainingRun } from '@/lib/training/runs';

export default async function TrainingRunPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requirePageAccess(`/admin/training/${id}`);
  const t = await getTranslations('training');
  const run = await getTrainingRun(getDb(), id);
  if (!run) notFound();
  return (
    <AppShell user={user}>
      <AdminNav current="training" />
      <Link href="/admin/training" className="mb-3 inline-block text-sm text-brand-700 hover:underline">
        ← {t('run.back')}
      </Link>
      <RunLive initial={run} />
    </AppShell>
  );
}
