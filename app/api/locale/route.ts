import { NextResponse, type NextRequest } from 'next/server';
import { getCurrentUser } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { LOCALE_COOKIE } from '@/lib/i18n/locales';
import { localeChoiceSchema, saveLocale } from '@/lib/i18n/preference';

const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

/** Public on purpose: the sign-in page has a language switch too. */
export async function POST(request: NextRequest) {
  const parsed = localeChoiceSchema.safeParse(await request.json().catch(() => null));
  if (!parsed.success) {
    return NextResponse.json({ error: 'invalid_locale', detail: parsed.error.issues[0]?.message }, { status: 400 });
  }
  const user = await getCurrentUser();
  if (user) await saveLocale(getDb(), user.id, parsed.data.locale);
  const response = NextResponse.json({ locale: parsed.data.locale });
  response.cookies.set(LOCALE_COOKIE, parsed.data.locale, { maxAge: ONE_YEAR_SECONDS, sameSite: 'lax', path: '/' });
  return response;
}
