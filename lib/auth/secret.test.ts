import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { resolveAuthSecret } from './secret.ts';

const original = process.env.AUTH_SECRET;
afterEach(() => {
  if (original === undefined) delete process.env.AUTH_SECRET;
  else process.env.AUTH_SECRET = original;
});

const made: string[] = [];
afterAll(() => made.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

describe('session secret', () => {
  const stateDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'feedloop-secret-'));
    made.push(dir);
    return dir;
  };

  it('refuses to start outside demo mode without AUTH_SECRET', () => {
    delete process.env.AUTH_SECRET;
    expect(() => resolveAuthSecret({ demo: false, stateDir: stateDir() })).toThrow(/AUTH_SECRET is not set/);
  });

  it('refuses a short AUTH_SECRET', () => {
    process.env.AUTH_SECRET = 'short';
    expect(() => resolveAuthSecret({ demo: false, stateDir: stateDir() })).toThrow(/at least 32/);
  });

  it('uses AUTH_SECRET when it is set', () => {
    process.env.AUTH_SECRET = 's'.repeat(40);
    expect(resolveAuthSecret({ demo: true, stateDir: stateDir() })).toBe('s'.repeat(40));
  });

  it('generates a demo secret once and keeps it, readable by the owner only', () => {
    delete process.env.AUTH_SECRET;
    const dir = stateDir();
    const first = resolveAuthSecret({ demo: true, stateDir: dir });
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(resolveAuthSecret({ demo: true, stateDir: dir })).toBe(first);
    expect(fs.statSync(path.join(dir, 'auth-secret')).mode & 0o077).toBe(0);
    expect(resolveAuthSecret({ demo: true, stateDir: stateDir() })).not.toBe(first);
  });
});
