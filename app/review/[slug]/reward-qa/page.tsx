import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { RewardQa } from '@/components/review/RewardQa';
import { AppShell } from '@/components/ui/AppShell';
import { requirePageAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { DomainError } from '@/lib/errors';
import { rewardQaProject, rewardRunChoices } from '@/lib/review/reward-qa';

export default async function RewardQaPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const user = await requirePageAccess(`/review/${slug}/reward-qa`);
  const db = getDb();
  let project;
  try {
    project = await rewardQaProject(db, user, slug);
  } catch (error) {
    if (error instanceof DomainError) redirect('/review?denied=1');
    throw error;
  }
  const runs = await rewardRunChoices(db, project.id);
  const t = await getTranslations('rewardQa');
  return (
    <AppShell user={user}>
      <Link href={`/review/${project.slug}`} className="text-sm text-brand-700 underline">
        {t('back')}
      </Link>
      <h1 className="mt-2 text-2xl font-bold" data-testid="page-title">
        {t('title')}
      </h1>
      <p className="mt-1 text-slate-600">
        {project.name} · {t('intro')}
      </p>
      {runs.length === 0 ? (
        <div className="mt-6 rounded-xl border border-dashed border-slate-300 bg-white p-6" data-testid="reward-qa-empty">
          <p className="font-medium">{t('empty.title')}</p>
          <p className="mt-1 text-sm text-slate-600">{user.role === 'ADMIN' ? t('empty.admin') : t('empty.reviewer')}</p>
          {user.role === 'ADMIN' && (
            <Link href="/admin/training" className="mt-3 inline-block rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700">
              {t('empty.train')}
            </Link>
          )}
        </div>
      ) : (
        <RewardQa slug={project.slug} runs={runs} />
      )}
    </AppShell>
  );
}
