import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { ReviewWorkbench } from '@/components/review/ReviewWorkbench';
import { AppShell } from '@/components/ui/AppShell';
import { requirePageAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { DomainError } from '@/lib/errors';
import { requireMemberProject } from '@/lib/projects/membership';

export default async function ReviewWorkPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const user = await requirePageAccess(`/review/${slug}`);
  try {
    await requireMemberProject(getDb(), user.id, slug);
  } catch (error) {
    if (error instanceof DomainError) redirect('/review?denied=1');
    throw error;
  }
  const t = await getTranslations('rewardQa');
  return (
    <AppShell user={user}>
      <p className="mb-4 text-right text-sm">
        <Link href={`/review/${slug}/reward-qa`} className="rounded-md border border-slate-300 bg-white px-3 py-1.5 font-medium hover:bg-slate-100" data-testid="reward-qa-link">
          {t('link')}
        </Link>
      </p>
      <ReviewWorkbench slug={slug} />
    </AppShell>
  );
}
