import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isPublicPath } from './roles.ts';

const APP = path.resolve(import.meta.dirname, '../../app');

function files(dir: string, name: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return files(full, name);
    return entry.name === name ? [full] : [];
  });
}

/** "/api/label/tasks/[id]/skip/route.ts" → "/api/label/tasks/x/skip" */
function urlOf(file: string): string {
  const relative = path.relative(APP, path.dirname(file)).split(path.sep).join('/');
  return `/${relative}`.replace(/\[\.\.\.[^\]]+\]/g, 'x/y').replace(/\[[^\]]+\]/g, 'x').replace(/\/$/, '') || '/';
}

describe('every route checks who is asking', () => {
  it('wraps each route handler outside the public paths in withAccess', () => {
    const unguarded = files(path.join(APP, 'api'), 'route.ts').filter((file) => {
      const source = fs.readFileSync(file, 'utf8');
      return !isPublicPath(urlOf(file)) && !/withAccess[<(]/.test(source);
    });
    expect(unguarded.map((file) => path.relative(APP, file))).toEqual([]);
  });

  it('has each page outside the public paths call requirePageAccess (or redirect by session)', () => {
    const unguarded = files(APP, 'page.tsx').filter((file) => {
      const source = fs.readFileSync(file, 'utf8');
      return !isPublicPath(urlOf(file)) && !/requirePageAccess\(|getCurrentUser\(/.test(source);
    });
    expect(unguarded.map((file) => path.relative(APP, file))).toEqual([]);
  });
});
