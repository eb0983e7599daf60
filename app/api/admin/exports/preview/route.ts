import pg from 'pg';
import { withAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import type { ExportOptions } from '@/lib/export/options';
import { exportLines } from '@/lib/export/rows';
import { readJson, respond } from '@/lib/http/respond';
import { requireProject } from '@/lib/projects/admin';
import { exportRequest } from '../request';

const PREVIEW_ROWS = 5;

/** The first rows an export would write, read from the same cursor and then let go. */
async function firstRows(databaseUrl: string, projectId: string, options: ExportOptions, limit: number): Promise<object[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const rows: object[] = [];
    for await (const line of exportLines(client, projectId, options)) {
      rows.push(line.record);
      if (rows.length >= limit) break;
    }
    return rows;
  } finally {
    await client.end();
  }
}

/** POST { project, options } → { rows }: the first few rows, as JSON objects. */
export const POST = withAccess(async (request) =>
  respond(async () => {
    const body = await readJson(request, exportRequest);
    const project = await requireProject(getDb(), body.project);
    return { rows: await firstRows(process.env.DATABASE_URL!, project.id, body.options, PREVIEW_ROWS) };
  }),
);
