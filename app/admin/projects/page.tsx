import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { AdminNav } from '@/components/admin/AdminNav';
import { ProjectForm } from '@/components/admin/projects/ProjectForm';
import { AppShell } from '@/components/ui/AppShell';
import { requirePageAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { allProjects } from '@/lib/projects/overview';

export default async function ProjectsPage() {
  const user = await requirePageAccess('/admin/projects');
  const t = await getTranslations('projects');
  const projects = await allProjects(getDb());
  const cell = 'px-3 py-2 text-left';
  return (
    <AppShell user={user}>
      <AdminNav current="projects" />
      <h1 className="text-2xl font-bold" data-testid="page-title">
        {t('title')}
      </h1>
      <div className="mt-4 overflow-x-auto rounded-xl border border-slate-200 bg-white">
        <table className="w-full text-sm" data-testid="projects-list">
          <thead className="bg-slate-50 text-slate-600">
            <tr>
              <th className={cell}>{t('name')}</th>
              <th className={cell}>{t('status')}</th>
              <th className={cell}>{t('items')}</th>
            </tr>
          </thead>
          <tbody>
            {projects.map((project) => (
              <tr key={project.id} className="border-t border-slate-100">
                <td className={cell}>
                  <Link href={`/admin/projects/${project.slug}`} className="font-medium text-brand-700 hover:underline">
                    {project.name}
                  </Link>
                </td>
                <td className={cell}>{t(`statuses.${project.status}`)}</td>
                <td className={cell}>{project.items}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2 className="mb-2 mt-8 font-semibold">{t('new')}</h2>
      <ProjectForm />
    </AppShell>
  );
}
