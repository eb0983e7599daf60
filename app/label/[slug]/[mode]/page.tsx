import { notFound, redirect } from 'next/navigation';
import { Workbench } from '@/components/label/Workbench';
import { AppShell } from '@/components/ui/AppShell';
import { requirePageAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { DomainError } from '@/lib/errors';
import { requireMemberProject } from '@/lib/projects/membership';

const MODES = { write: 'DEMONSTRATION', rank: 'RANKING' } as const;

export default async function WorkPage({ params }: { params: Promise<{ slug: string; mode: string }> }) {
  const { slug, mode } = await params;
  const user = await requirePageAccess(`/label/${slug}/${mode}`);
  if (!(mode in MODES)) notFound();
  try {
    await requireMemberProject(getDb(), user.id, slug);
  } catch (error) {
    if (error instanceof DomainError) redirect('/label?denied=1');
    throw error;
  }
  return (
    <AppShell user={user}>
      <Workbench slug={slug} kind={MODES[mode as keyof typeof MODES]} />
    </AppShell>
  );
}
