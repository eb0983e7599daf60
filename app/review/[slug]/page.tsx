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
  return (
    <AppShell user={user}>
      <ReviewWorkbench slug={slug} />
    </AppShell>
  );
}
