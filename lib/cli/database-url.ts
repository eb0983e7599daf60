import fs from 'node:fs';
import path from 'node:path';

/**
 * The database a command-line tool talks to: DATABASE_URL, or else the running demo app's
 * embedded database (npm start writes its URL into the state folder).
 */
export function cliDatabaseUrl(): string {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const stateDir = path.resolve(process.env.FEEDLOOP_STATE_DIR ?? '.feedloop');
  const file = path.join(stateDir, 'database-url');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  throw new Error('DATABASE_URL is not set and no demo database is running (start one with `npm start`).');
}
