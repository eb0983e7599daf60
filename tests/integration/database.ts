import crypto from 'node:crypto';
import pg from 'pg';
import { expect, inject } from 'vitest';
import { createDb, type Db } from '../../lib/db.ts';
import { DomainError } from '../../lib/errors.ts';
import { migrate } from '../../lib/db/migrate.ts';

export interface TestDatabase {
  url: string;
  db: Db;
  close(): Promise<void>;
}

/** A new, empty database on the shared test server; migrated unless asked not to be. */
export async function freshDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const adminUrl = inject('postgresAdminUrl');
  const name = `t_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = adminUrl.replace(/\/[^/]+$/, `/${name}`);
  if (options.migrated !== false) await migrate(url);
  const db = createDb(url);
  return { url, db, close: () => db.$disconnect() };
}

/** The DomainError a promise is expected to reject with, for asserting its status and message. */
export async function domainError(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}
