import { getTranslations } from 'next-intl/server';
import Link from 'next/link';

const LINKS = [
  { href: '/admin', key: 'dashboard' },
  { href: '/admin/projects', key: 'projects' },
  { href: '/admin/people', key: 'people' },
  { href: '/admin/exports', key: 'exports' },
  { href: '/admin/training', key: 'training' },
  { href: '/admin/endpoints', key: 'endpoints' },
  { href: '/admin/audit', key: 'audit' },
] as const;

/** The admin area's own navigation, above every admin page. */
export async function AdminNav({ current }: { current: (typeof LINKS)[number]['key'] }) {
  const t = await getTranslations('adminNav');
  return (
    <nav aria-label={t('label')} className="mb-5 flex flex-wrap gap-1 border-b border-slate-200 pb-2 text-sm">
      {LINKS.map((link) => (
        <Link
          key={link.href}
          href={link.href}
          aria-current={current === link.key ? 'page' : undefined}
          className={`rounded-md px-3 py-1 ${current === link.key ? 'bg-slate-800 text-white' : 'hover:bg-slate-100'}`}
        >
          {t(link.key)}
        </Link>
      ))}
    </nav>
  );
}
