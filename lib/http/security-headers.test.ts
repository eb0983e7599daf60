import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from './security-headers.ts';

describe('content security policy', () => {
  const directive = (csp: string, name: string) => csp.split('; ').find((d) => d.startsWith(`${name} `)) ?? '';

  it('allows scripts only from this origin or with the request nonce', () => {
    const csp = contentSecurityPolicy('abc123', false);
    const scripts = directive(csp, 'script-src');
    expect(scripts).toContain("'nonce-abc123'");
    expect(scripts).not.toContain('unsafe-inline');
    expect(scripts).not.toContain('unsafe-eval');
  });

  it('forbids framing, plugins and foreign form targets', () => {
    const csp = contentSecurityPolicy('n', false);
    expect(directive(csp, 'frame-ancestors')).toBe("frame-ancestors 'none'");
    expect(directive(csp, 'object-src')).toBe("object-src 'none'");
    expect(directive(csp, 'form-action')).toBe("form-action 'self'");
  });

  it('allows eval only for the development server', () => {
    expect(directive(contentSecurityPolicy('n', true), 'script-src')).toContain('unsafe-eval');
  });
});
