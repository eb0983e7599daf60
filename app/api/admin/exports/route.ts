import { NextResponse } from 'next/server';
import { withAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { DomainError } from '@/lib/errors';
import { exportToDirectory } from '@/lib/export/run';
import { getExportRun, listExportRuns, runDir } from '@/lib/export/storage';
import { domainErrorResponse, readJson, respond } from '@/lib/http/respond';
import { requireProject } from '@/lib/projects/admin';
import { exportRequest } from './request';

/** Past exports, newest first. */
export const GET = withAccess(async () => respond(async () => ({ runs: await listExportRuns(getDb()) })));

/**
 * Runs an export into the exports folder (one folder per run, named by its id). The answer
 * streams NDJSON: `{type:'progress', rows}` lines, then `{type:'done', run}` or
 * `{type:'failed', message}`.
 */
export const POST = withAccess(async (request, user) => {
  let prepared: { projectId: string; options: ReturnType<typeof exportRequest.parse>['options'] };
  try {
    const body = await readJson(request, exportRequest);
    const project = await requireProject(getDb(), body.project);
    prepared = { projectId: project.id, options: body.options };
  } catch (error) {
    if (error instanceof DomainError) return domainErrorResponse(error);
    throw error;
  }

  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let open = true;
      const send = (message: unknown) => {
        if (!open) return;
        try {
          controller.enqueue(encoder.encode(`${JSON.stringify(message)}\n`));
        } catch {
          open = false; // The browser went away; the export still finishes and is listed.
        }
      };
      try {
        send({ type: 'progress', rows: 0 });
        const result = await exportToDirectory(getDb(), process.env.DATABASE_URL!, {
          projectId: prepared.projectId,
          options: prepared.options,
          outDir: (runId) => runDir(runId),
          actorId: user.id,
          onProgress: (rows) => send({ type: 'progress', rows }),
        });
        send({ type: 'done', run: await getExportRun(getDb(), result.runId) });
      } catch (error) {
        console.error(error);
        send({ type: 'failed', message: 'The export failed on the server; see the server log.' });
      } finally {
        if (open) controller.close();
      }
    },
  });
  return new NextResponse(stream, { headers: { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store' } });
});
