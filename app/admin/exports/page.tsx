import { getTranslations } from 'next-intl/server';
import { AdminNav } from '@/components/admin/AdminNav';
import { ExportsManager } from '@/components/admin/exports/ExportsManager';
import { AppShell } from '@/components/ui/AppShell';
import { listApiTokens } from '@/lib/auth/api-tokens';
import { requirePageAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { listExportRuns } from '@/lib/export/storage';

export default async function ExportsPage() {
  const user = await requirePageAccess('/admin/exports');
  const t = await getTranslations('exports');
  const db = getDb();
  const [projects, runs, tokens] = await Promise.all([
    db.project.findMany({
      select: { slug: true, name: true, guidelines: { where: { publishedAt: { not: null } }, select: { version: true }, orderBy: { version: 'asc' } } },
      orderBy: { name: 'asc' },
    }),
    listExportRuns(db),
    listApiTokens(db),
  ]);
  return (
    <AppShell user={user}>
      <AdminNav current="exports" />
      <h1 className="text-2xl font-bold" data-testid="page-title">
        {t('title')}
      </h1>
      <p className="mt-1 mb-6 max-w-3xl text-slate-600">{t('intro')}</p>
      <ExportsManager
        projects={projects.map((p) => ({ slug: p.slug, name: p.name, guidelineVersions: p.guidelines.map((g) => g.version) }))}
        runs={runs}
        tokens={tokens.map((token) => ({
          ...token,
          createdAt: token.createdAt.toISOString(),
          lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
          revokedAt: token.revokedAt?.toISOString() ?? null,
        }))}
      />
    </AppShell>
  );
}
