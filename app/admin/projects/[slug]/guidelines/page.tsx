import { AdminNav } from '@/components/admin/AdminNav';
import { GuidelineEditor } from '@/components/admin/guidelines/GuidelineEditor';
import { GuidelinesHeader } from '@/components/admin/guidelines/GuidelinesHeader';
import { AppShell } from '@/components/ui/AppShell';
import { requirePageAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { guidelineEditorState } from '@/lib/guidelines/admin';
import { projectOr404 } from './project';

export default async function GuidelineEditorPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const user = await requirePageAccess(`/admin/projects/${encodeURIComponent(slug)}/guidelines`);
  const db = getDb();
  const project = await projectOr404(db, slug);
  const { latest, draft, nextVersion, start } = await guidelineEditorState(db, project.id);
  return (
    <AppShell user={user}>
      <AdminNav current="projects" />
      <GuidelinesHeader project={project} current="editor" />
      <GuidelineEditor
        slug={project.slug}
        start={start}
        latest={latest && { version: latest.version, title: latest.title, body: latest.body, publishedAt: latest.publishedAt.toISOString() }}
        draft={draft && { version: draft.version, savedAt: draft.savedAt.toISOString(), savedBy: draft.savedBy && { name: draft.savedBy.name } }}
        nextVersion={nextVersion}
      />
    </AppShell>
  );
}
