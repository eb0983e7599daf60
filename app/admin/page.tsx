import { getTranslations } from 'next-intl/server';
import { AdminNav } from '@/components/admin/AdminNav';
import { AppShell, Coming } from '@/components/ui/AppShell';
import { requirePageAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { allProjects, listUsers } from '@/lib/projects/overview';

export default async function AdminHome({ searchParams }: { searchParams: Promise<{ denied?: string }> }) {
  const user = await requirePageAccess('/admin');
  const { denied } = await searchParams;
  const t = await getTranslations('admin');
  const common = await getTranslations('common');
  const db = getDb();
  const [projects, users] = await Promise.all([allProjects(db), listUsers(db)]);
  const cell = 'px-3 py-2 text-left';
  return (
    <AppShell user={user} denied={denied === '1'}>
      <AdminNav current="dashboard" />
      <h1 className="text-2xl font-bold" data-testid="page-title">{t('title')}</h1>
      <p className="mt-1 text-slate-600">{t('intro')}</p>

      <section className="mt-6">
        <h2 className="mb-2 font-semibold">{t('projects')}</h2>
        <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
          <table className="w-full text-sm" data-testid="projects-table">
            <thead className="bg-slate-50 text-slate-600">
              <tr>
                <th className={cell}>{t('people.name')}</th>
                <th className={cell}>{t('statusLabel')}</th>
                <th className={cell}>{t('items')}</th>
                <th className={cell}>{t('demonstrations')}</th>
                <th className={cell}>{t('rankings')}</th>
              </tr>
            </thead>
            <tbody>
              {projects.map((project) => (
                <tr key={project.id} className="border-t border-slate-100">
                  <td className={cell}>{project.name}</td>
                  <td className={cell}>{t(`status.${project.status}`)}</td>
                  <td className={cell}>{project.items}</td>
                  <td className={cell}>{project.demonstrations}</td>
                  <td className={cell}>{project.rankings}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="mt-6">
        <h2 className="mb-2 font-semibold">{t('users')}</h2>
        <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
          <table className="w-full text-sm" data-testid="users-table">
            <thead className="bg-slate-50 text-slate-600">
              <tr>
                <th className={cell}>{t('people.name')}</th>
                <th className={cell}>{t('people.email')}</th>
                <th className={cell}>{t('people.role')}</th>
                <th className={cell}>{t('people.active')}</th>
              </tr>
            </thead>
            <tbody>
              {users.map((row) => (
                <tr key={row.id} className="border-t border-slate-100">
                  <td className={cell}>{row.name}</td>
                  <td className={cell}>{row.email}</td>
                  <td className={cell}>{common(`roles.${row.role}`)}</td>
                  <td className={cell}>{row.active ? t('people.yes') : t('people.no')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <div className="mt-6">
        <Coming title={t('charts')} note={t('chartsNote')} />
      </div>
    </AppShell>
  );
}
