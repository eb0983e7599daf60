import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import type { ReactNode } from 'react';
import type { CurrentUser } from '@/lib/auth/guard';
import { decideAccess } from '@/lib/auth/roles';
import { LanguageSwitcher } from './LanguageSwitcher';
import { SignOutButton } from './SignOutButton';

const NAV = [
  { href: '/label', key: 'label' },
  { href: '/review', key: 'review' },
  { href: '/admin', key: 'admin' },
] as const;

export async function AppShell({ user, denied, children }: { user: CurrentUser; denied?: boolean; children: ReactNode }) {
  const t = await getTranslations('common');
  const nav = await getTranslations('nav');
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-4 px-4 py-3">
          <Link href="/" className="text-lg font-bold text-brand-700">
            {t('appName')}
          </Link>
          <nav className="flex gap-1" aria-label="main">
            {NAV.filter((entry) => decideAccess(entry.href, user.role) === 'allow').map((entry) => (
              <Link key={entry.href} href={entry.href} className="rounded-md px-3 py-1 text-sm hover:bg-slate-100">
                {nav(entry.key)}
              </Link>
            ))}
          </nav>
          <div className="ml-auto flex items-center gap-3">
            <span className="text-sm text-slate-600" data-testid="whoami">
              {t('signedInAs', { name: user.name, role: t(`roles.${user.role}`) })}
            </span>
            <LanguageSwitcher />
            <SignOutButton />
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-6xl px-4 py-6">
        {denied && (
          <p role="status" data-testid="denied" className="mb-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800">
            {t('denied')}
          </p>
        )}
        {children}
      </main>
    </div>
  );
}
