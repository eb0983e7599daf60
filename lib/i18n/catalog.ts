/**
 * The message catalogue: one JSON file per namespace and language under messages/<locale>/,
 * so that screens can grow their texts without touching each other's files. A namespace
 * missing from a language is a test failure (see messages.test.ts), never a runtime gap.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Locale } from './locales.ts';

export type Messages = Record<string, unknown>;

export const MESSAGES_DIR = path.join(process.cwd(), 'lib', 'i18n', 'messages');

const cache = new Map<Locale, Messages>();

/** The whole catalogue of a language; read once per server process in production. */
export function catalog(locale: Locale): Messages {
  const cached = cache.get(locale);
  if (cached) return cached;
  const messages = loadCatalog(locale);
  if (process.env.NODE_ENV === 'production') cache.set(locale, messages);
  return messages;
}

export function loadCatalog(locale: Locale, dir: string = MESSAGES_DIR): Messages {
  const folder = path.join(dir, locale);
  return Object.fromEntries(
    fs
      .readdirSync(folder)
      .filter((file) => file.endsWith('.json'))
      .sort()
      .map((file) => [file.slice(0, -5), JSON.parse(fs.readFileSync(path.join(folder, file), 'utf8'))]),
  );
}
