import fs from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { makeTempStateDir, startEmbeddedPostgres, type EmbeddedDatabase } from '../../lib/db/embedded.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAdminUrl: string;
  }
}

let server: EmbeddedDatabase | undefined;

/** One real Postgres for the whole integration run, from the same package the app uses. */
export async function setup(project: TestProject) {
  const dataDir = makeTempStateDir('feedloop-it-');
  server = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'pgdata'), database: 'postgres' });
  project.provide('postgresAdminUrl', server.url);
  return async () => {
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
