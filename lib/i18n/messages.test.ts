import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from './catalog.ts';

function keys(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, child]) => keys(child, prefix ? `${prefix}.${key}` : key));
}

function leaves(value: unknown, prefix = ''): [string, string][] {
  if (typeof value === 'string') return [[prefix, value]];
  return Object.entries(value as object).flatMap(([key, child]) => leaves(child, prefix ? `${prefix}.${key}` : key));
}

describe('message catalogues', () => {
  const en = loadCatalog('en');
  const zh = loadCatalog('zh-CN');

  it('have the same namespaces and keys in English and Simplified Chinese', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    expect(keys(zh).sort()).toEqual(keys(en).sort());
  });

  it('translate every message (no English sentence left in the Chinese catalogue)', () => {
    const english = new Map(leaves(en));
    const untranslated = leaves(zh).filter(([key, text]) => text === english.get(key) && /[a-z]{4,}/.test(text) && text !== 'Feedloop');
    expect(untranslated).toEqual([]);
  });

  it('are all valid ICU messages (a stray brace would break the page at run time)', () => {
    for (const [locale, messages] of [['en', en], ['zh-CN', zh]] as const) {
      for (const [key, text] of leaves(messages)) {
        expect(() => new IntlMessageFormat(text, locale), `${locale} ${key}`).not.toThrow();
      }
    }
  });
});
