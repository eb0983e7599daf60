/**
 * Writes prisma/migrations/<timestamp>_<name>/migration.sql for the changes made to
 * prisma/schema.prisma since the last migration. The Prisma CLI cannot fetch its native
 * schema engine on this machine, so this drives the engine compiled to WebAssembly:
 * it diffs the schema as of the last migration (prisma/migrations/schema.snapshot.prisma)
 * against the current one, then updates the snapshot.
 *
 *   npm run db:migration -- <name>
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import * as engineBindings from '@prisma/schema-engine-wasm/schema_engine_bg';
import { makeTempStateDir, startEmbeddedPostgres } from '../lib/db/embedded.ts';
import { MIGRATIONS_DIR } from '../lib/db/migrate.ts';

const SCHEMA = path.resolve(import.meta.dirname, '../prisma/schema.prisma');
export const SNAPSHOT = path.join(MIGRATIONS_DIR, 'schema.snapshot.prisma');

async function loadEngine() {
  const require = createRequire(import.meta.url);
  const wasmPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg').replace(/\.js$/, '.wasm');
  const module = await WebAssembly.compile(fs.readFileSync(wasmPath));
  const imports: WebAssembly.Imports = {};
  for (const { module: name } of WebAssembly.Module.imports(module)) {
    imports[name] = engineBindings as unknown as WebAssembly.ModuleImports;
  }
  const instance = await WebAssembly.instantiate(module, imports);
  engineBindings.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as (() => void) | undefined)?.();
  return engineBindings.SchemaEngine;
}

async function main() {
  const name = process.argv[2];
  if (!name || !/^[a-z0-9_]+$/.test(name)) {
    console.error('usage: npm run db:migration -- <name>   (lowercase letters, digits, underscores)');
    process.exit(2);
  }
  const current = fs.readFileSync(SCHEMA, 'utf8');
  const previous = fs.existsSync(SNAPSHOT) ? fs.readFileSync(SNAPSHOT, 'utf8') : null;

  // The engine opens a connection when it starts even for a schema-to-schema diff.
  const scratch = makeTempStateDir('feedloop-mig-');
  const db = await startEmbeddedPostgres({ dataDir: path.join(scratch, 'pgdata') });
  try {
    const factory = new PrismaPg({ connectionString: db.url });
    // The engine expects the adapter wrapped the way Prisma's own CLI wraps it (Result values).
    const adapter = bindMigrationAwareSqlAdapterFactory(factory);
    const SchemaEngine = await loadEngine();
    const engine = await SchemaEngine.new({ datamodels: [['schema.prisma', current]] }, () => {}, adapter);
    const result = await engine.diff({
      from: previous === null ? { tag: 'empty' } : { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: previous }] },
      to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: current }] },
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    });
    const sql = result.stdout ?? '';
    if (!sql.trim() || sql.includes('This is an empty migration')) {
      console.log('no schema changes since the last migration');
      return;
    }
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    const folder = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, 'migration.sql'), sql);
    fs.writeFileSync(SNAPSHOT, current);
    const lock = path.join(MIGRATIONS_DIR, 'migration_lock.toml');
    if (!fs.existsSync(lock)) fs.writeFileSync(lock, 'provider = "postgresql"\n');
    console.log(`wrote ${path.relative(process.cwd(), folder)}/migration.sql`);
  } finally {
    await db.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

await main();
