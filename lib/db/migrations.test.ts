import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, readMigrations } from './migrate.ts';

describe('migrations folder', () => {
  it('lists migrations in name order with a sha256 checksum each', () => {
    const migrations = readMigrations();
    expect(migrations.length).toBeGreaterThan(0);
    expect(migrations.map((m) => m.name)).toEqual([...migrations.map((m) => m.name)].sort());
    for (const m of migrations) expect(m.checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it('covers every change to prisma/schema.prisma (run `npm run db:migration -- <name>` after editing it)', () => {
    const schema = fs.readFileSync(path.join(MIGRATIONS_DIR, '..', 'schema.prisma'), 'utf8');
    const snapshot = fs.readFileSync(path.join(MIGRATIONS_DIR, 'schema.snapshot.prisma'), 'utf8');
    expect(snapshot).toBe(schema);
  });
});
