import { describe, expect, it } from 'vitest';
import { decideAccess, homePath, isPublicPath } from './roles.ts';

describe('access rules', () => {
  it('send each role to its own home page', () => {
    expect(homePath('ADMIN')).toBe('/admin');
    expect(homePath('REVIEWER')).toBe('/review');
    expect(homePath('LABELER')).toBe('/label');
  });

  it('keep admin pages and admin route handlers for admins', () => {
    for (const path of ['/admin', '/admin/projects/x', '/api/admin/users', '/admin/projects/x/items', '/api/admin/projects/x/items/y/gold']) {
      expect(decideAccess(path, 'ADMIN')).toBe('allow');
      expect(decideAccess(path, 'REVIEWER')).toBe('forbidden');
      expect(decideAccess(path, 'LABELER')).toBe('forbidden');
      expect(decideAccess(path, null)).toBe('unauthenticated');
    }
  });

  it('open the review area to reviewers and admins only', () => {
    expect(decideAccess('/review', 'REVIEWER')).toBe('allow');
    expect(decideAccess('/api/review/next', 'ADMIN')).toBe('allow');
    expect(decideAccess('/review', 'LABELER')).toBe('forbidden');
  });

  it('let every signed-in role label', () => {
    for (const role of ['ADMIN', 'REVIEWER', 'LABELER'] as const) expect(decideAccess('/label', role)).toBe('allow');
  });

  it('refuse anonymous requests everywhere but sign-in, auth and health', () => {
    for (const path of ['/', '/label', '/api/me', '/anything']) expect(decideAccess(path, undefined)).toBe('unauthenticated');
    for (const path of ['/login', '/api/auth/callback/credentials', '/api/health', '/api/locale']) {
      expect(isPublicPath(path)).toBe(true);
      expect(decideAccess(path, undefined)).toBe('allow');
    }
  });

  it('open invite and password-reset links, page and API, to anyone, and nothing around them', () => {
    const token = 'Vb3tq0yQ2k-_r8Zp1aN4mXcW7eLhJ9sUfGdTiOoKyB0';
    for (const path of [`/invite/${token}`, `/api/invite/${token}`]) {
      expect(isPublicPath(path)).toBe(true);
      expect(decideAccess(path, undefined)).toBe('allow');
    }
    for (const path of ['/invite', '/invite/', '/api/invite', `/invite/${token}/extra`, `/api/invite/${token}/x`, '/invite/a.b', '/admin/invite/x']) {
      expect(isPublicPath(path)).toBe(false);
    }
    expect(decideAccess('/api/admin/people/invites', undefined)).toBe('unauthenticated');
    expect(decideAccess('/api/admin/people/invites', 'LABELER')).toBe('forbidden');
  });

  it('do not let a look-alike prefix slip through', () => {
    expect(decideAccess('/administrator', 'LABELER')).toBe('allow');
    expect(decideAccess('/admin-tools', 'LABELER')).toBe('allow');
    expect(isPublicPath('/login/../admin')).toBe(false);
    expect(isPublicPath('/api/healthz')).toBe(false);
  });
});
