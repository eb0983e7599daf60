import { getRequestConfig } from 'next-intl/server';
import { cookies, headers } from 'next/headers';
import { getCurrentUser } from '../auth/guard.ts';
import { LOCALE_COOKIE, resolveLocale } from './locales.ts';
import { catalog } from './catalog.ts';

export default getRequestConfig(async () => {
  const cookie = (await cookies()).get(LOCALE_COOKIE)?.value;
  // The account's saved language matters only in a browser that has not chosen one yet.
  const account = cookie ? null : ((await getCurrentUser())?.locale ?? null);
  const locale = resolveLocale({ cookie, account, acceptLanguage: (await headers()).get('accept-language') });
  return { locale, messages: catalog(locale) };
});
