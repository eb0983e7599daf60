import { getTranslations } from 'next-intl/server';
import { redirect } from 'next/navigation';
import { LoginForm } from '@/components/auth/LoginForm';
import { LanguageSwitcher } from '@/components/ui/LanguageSwitcher';
import { getCurrentUser } from '@/lib/auth/guard';
import { isSignInError } from '@/lib/auth/credentials-schema';
import { homePath } from '@/lib/auth/roles';
import { safeCallbackPath } from '@/lib/http/callback-url';

type SearchParams = Promise<{ callbackUrl?: string; error?: string }>;

export default async function LoginPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const user = await getCurrentUser();
  if (user) redirect(homePath(user.role));
  const t = await getTranslations('common');
  const error = isSignInError(params.error) ? params.error : params.error ? 'unknown' : null;
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm">
        <div className="mb-6 text-center">
          <h1 className="text-3xl font-bold tracking-tight text-brand-700">{t('appName')}</h1>
          <p className="mt-1 text-sm text-slate-600">{t('tagline')}</p>
        </div>
        <LoginForm callbackUrl={safeCallbackPath(params.callbackUrl)} initialError={error} />
        <div className="mt-4 flex justify-center">
          <LanguageSwitcher />
        </div>
      </div>
    </main>
  );
}
