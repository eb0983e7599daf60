import { z } from 'zod';
import type { Db } from '../db.ts';
import { LOCALES } from './locales.ts';

export const localeChoiceSchema = z.object({ locale: z.enum(LOCALES) });

/** Remembers a signed-in user's language on their account, for their other browsers. */
export async function saveLocale(db: Db, userId: string, locale: string): Promise<void> {
  await db.user.update({ where: { id: userId }, data: { locale } });
}
