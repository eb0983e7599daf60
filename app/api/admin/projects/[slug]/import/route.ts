import { NextResponse } from 'next/server';
import { withAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { DomainError, invalidInput } from '@/lib/errors';
import { domainErrorResponse } from '@/lib/http/respond';
import { importFile } from '@/lib/import/import-file';
import { discardUpload, saveUpload, uploadOptions } from '@/lib/import/upload';
import { requireProject } from '@/lib/projects/admin';

/**
 * Upload a file as the raw request body (options in the query string). The answer streams
 * NDJSON: progress lines while the file is checked and imported, then the summary.
 */
export const POST = withAccess<{ slug: string }>(async (request, user, { params }) => {
  let prepared: { projectId: string; file: string; options: ReturnType<typeof uploadOptions.parse> };
  try {
    const parsed = uploadOptions.safeParse(Object.fromEntries(request.nextUrl.searchParams));
    if (!parsed.success) throw invalidInput(parsed.error);
    const project = await requireProject(getDb(), (await params).slug);
    prepared = { projectId: project.id, options: parsed.data, file: await saveUpload(request.body) };
  } catch (error) {
    if (error instanceof DomainError) return domainErrorResponse(error);
    throw error;
  }

  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      // The browser may go away mid-import; the import still finishes (or rolls back) on its own.
      let open = true;
      const send = (message: unknown) => {
        if (!open) return;
        try {
          controller.enqueue(encoder.encode(`${JSON.stringify(message)}\n`));
        } catch {
          open = false;
        }
      };
      try {
        const summary = await importFile(getDb(), {
          projectId: prepared.projectId,
          path: prepared.file,
          format: prepared.options.format,
          skipBadLines: prepared.options.skipBadLines,
          alpacaOutput: prepared.options.alpacaOutput,
          actorId: user.id,
          onProgress: (progress) => send({ type: 'progress', ...progress }),
        });
        send({ type: 'summary', ...summary });
      } catch (error) {
        console.error(error);
        send({ type: 'failed', message: 'The import failed on the server; nothing was imported.' });
      } finally {
        discardUpload(prepared.file);
        if (open) controller.close();
      }
    },
  });
  return new NextResponse(stream, { headers: { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store' } });
});
