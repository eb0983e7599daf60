import { describe, expect, it } from 'vitest';
import { resolveLocale } from './locales.ts';

describe('choosing the UI language', () => {
  it('prefers the explicit choice, then the account, then the browser', () => {
    expect(resolveLocale({ cookie: 'zh-CN', account: 'en', acceptLanguage: 'en' })).toBe('zh-CN');
    expect(resolveLocale({ cookie: null, account: 'zh-CN', acceptLanguage: 'en' })).toBe('zh-CN');
    expect(resolveLocale({ acceptLanguage: 'zh-TW,zh;q=0.9,en;q=0.5' })).toBe('zh-CN');
    expect(resolveLocale({ acceptLanguage: 'fr-FR,en-GB;q=0.8' })).toBe('en');
  });

  it('ignores unknown values and defaults to English', () => {
    expect(resolveLocale({ cookie: 'xx', account: 'de' })).toBe('en');
    expect(resolveLocale({})).toBe('en');
  });
});
