import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createProjectInput, RESERVED_SLUGS } from './admin.ts';

const APP = path.join(import.meta.dirname, '..', '..', 'app');

/** Every static folder that sits beside a `[slug]` folder: its name would hide a project with that slug. */
function siblingsOfSlugFolders(dir: string): string[] {
  const entries = fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory());
  const here = entries.some((e) => e.name === '[slug]') ? entries.filter((e) => !e.name.startsWith('[') && !e.name.startsWith('(')).map((e) => e.name) : [];
  return [...here, ...entries.flatMap((e) => siblingsOfSlugFolders(path.join(dir, e.name)))];
}

describe('project slugs', () => {
  it('reserves the name of every page that sits beside a project page', () => {
    const taken = [...new Set(siblingsOfSlugFolders(APP))].sort();
    expect(taken.length).toBeGreaterThan(0);
    expect(taken.filter((name) => !RESERVED_SLUGS.includes(name))).toEqual([]);
  });

  it('refuses a reserved slug, naming the field', () => {
    const result = createProjectInput.safeParse({ slug: 'items', name: 'Items' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ path: ['slug'], message: 'is the address of another page; choose another short name' });
    expect(createProjectInput.safeParse({ slug: 'items-2', name: 'Items' }).success).toBe(true);
  });
});
