import { describe, expect, it } from 'vitest';
import { safeCallbackPath } from './callback-url.ts';

describe('post-sign-in redirect', () => {
  it('keeps same-site paths', () => {
    expect(safeCallbackPath('/admin')).toBe('/admin');
    expect(safeCallbackPath('/label?project=demo')).toBe('/label?project=demo');
  });

  it('drops other sites and loops back to sign-in', () => {
    for (const bad of ['https://evil.example', '//evil.example', '/\\evil.example', 'admin', '/login?x=1', '/api/me', '', null, undefined]) {
      expect(safeCallbackPath(bad)).toBe('/');
    }
  });
});
