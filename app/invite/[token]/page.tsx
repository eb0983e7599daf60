import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { InviteForm } from '@/components/auth/InviteForm';
import { LanguageSwitcher } from '@/components/ui/LanguageSwitcher';
import { getDb } from '@/lib/db';
import { describeLink } from '@/lib/people/invites';

// The token is a secret in the address: keep the page out of search engines and caches.
export const metadata: Metadata = { robots: { index: false, follow: false } };
export const dynamic = 'force-dynamic';

/** Where an invite or password-reset link lands (public: the token is the credential). */
export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const link = await describeLink(getDb(), token);
  const t = await getTranslations('invite');
  const common = await getTranslations('common');
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm">
        <div className="mb-6 text-center">
          <h1 className="text-3xl font-bold tracking-tight text-brand-700">{common('appName')}</h1>
          <p className="mt-1 text-sm text-slate-600">{common('tagline')}</p>
        </div>
        {link.status === 'valid' ? (
          <InviteForm
            token={token}
            purpose={link.purpose}
            email={link.email}
            role={link.role}
            name={link.name}
            expiresAt={`${link.expiresAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`}
          />
        ) : (
          <div className="space-y-4 rounded-xl border border-slate-200 bg-white p-6 shadow-sm" data-testid="invite-state" data-status={link.status}>
            <p role="alert" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
              {t(`states.${link.status}`)}
            </p>
            <Link href="/login" className="block text-center text-sm text-brand-700 hover:underline">
              {t('toLogin')}
            </Link>
          </div>
        )}
        <div className="mt-4 flex justify-center">
          <LanguageSwitcher />
        </div>
      </div>
    </main>
  );
}
