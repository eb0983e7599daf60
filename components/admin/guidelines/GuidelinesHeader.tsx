import { getTranslations } from 'next-intl/server';
import Link from 'next/link';

const TABS = [
  { key: 'editor', path: '' },
  { key: 'history', path: '/history' },
  { key: 'acknowledgements', path: '/acknowledgements' },
] as const;

export type GuidelinesTab = (typeof TABS)[number]['key'];

/** Where the admin is (project › guidelines) and the three guideline screens. */
export async function GuidelinesHeader({ project, current }: { project: { slug: string; name: string }; current: GuidelinesTab }) {
  const t = await getTranslations('guidelines');
  const base = `/admin/projects/${encodeURIComponent(project.slug)}`;
  return (
    <header className="mb-5">
      <nav aria-label={t('breadcrumb')} className="text-sm text-slate-500">
        <Link href="/admin/projects" className="hover:underline">
          {t('projects')}
        </Link>
        <span aria-hidden> › </span>
        <Link href={base} className="hover:underline">
          {project.name}
        </Link>
        <span aria-hidden> › </span>
        <span>{t('pageTitle')}</span>
      </nav>
      <h1 className="mt-1 text-2xl font-bold" data-testid="page-title">
        {t('heading', { project: project.name })}
      </h1>
      <nav aria-label={t('tabsLabel')} className="mt-3 flex flex-wrap gap-1 text-sm">
        {TABS.map((tab) => (
          <Link
            key={tab.key}
            href={`${base}/guidelines${tab.path}`}
            aria-current={current === tab.key ? 'page' : undefined}
            data-testid={`tab-${tab.key}`}
            className={`rounded-md border px-3 py-1 ${current === tab.key ? 'border-brand-600 bg-brand-50 font-medium text-brand-700' : 'border-slate-200 bg-white hover:bg-slate-100'}`}
          >
            {t(`tabs.${tab.key}`)}
          </Link>
        ))}
      </nav>
    </header>
  );
}
