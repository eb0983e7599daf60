import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient, type Prisma } from './generated/prisma/client.ts';

export type Db = PrismaClient;
/** The client inside `db.$transaction(async (tx) => …)`. */
export type Tx = Prisma.TransactionClient;
/** Either of the two, for functions that work inside or outside a transaction. */
export type Queryable = Db | Tx;

export function createDb(connectionString: string): PrismaClient {
  // Timestamp columns hold UTC without a zone; the job queue writes some with SQL now(), which
  // follows the session's zone, so every session runs in UTC whatever the server's default.
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, options: '-c TimeZone=UTC' }) });
}

// One client per process; kept on globalThis so dev-server reloads do not open new pools.
const globalForDb = globalThis as unknown as { feedloopDb?: PrismaClient };

/**
 * The app's one database client. Created on first use, so that importing this module
 * (during `next build`, say) needs no DATABASE_URL.
 */
export function getDb(): PrismaClient {
  if (!globalForDb.feedloopDb) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error('DATABASE_URL is not set (npm start sets it for the embedded database)');
    globalForDb.feedloopDb = createDb(url);
  }
  return globalForDb.feedloopDb;
}
