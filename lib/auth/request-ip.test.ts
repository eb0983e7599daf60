import { describe, expect, it } from 'vitest';
import { clientIp } from './request-ip.ts';

describe('client address', () => {
  it('takes the first forwarded address', () => {
    expect(clientIp(new Headers({ 'x-forwarded-for': '203.0.113.5, 10.0.0.1' }))).toBe('203.0.113.5');
    expect(clientIp({ 'x-forwarded-for': ['198.51.100.7'] })).toBe('198.51.100.7');
  });

  it('falls back to x-real-ip, then to "local"', () => {
    expect(clientIp(new Headers({ 'x-real-ip': '192.0.2.9' }))).toBe('192.0.2.9');
    expect(clientIp(new Headers())).toBe('local');
    expect(clientIp({})).toBe('local');
  });
});
