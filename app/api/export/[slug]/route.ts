import { NextResponse, type NextRequest } from 'next/server';
import { authenticateApiToken } from '@/lib/auth/api-tokens';
import { getDb } from '@/lib/db';
import { DomainError, invalidInput } from '@/lib/errors';
import { exportOptionsFromStrings } from '@/lib/export/options';
import { streamExport } from '@/lib/export/run';
import { domainErrorResponse } from '@/lib/http/respond';
import { requireProject } from '@/lib/projects/admin';

/**
 * For pipelines: GET /api/export/<project>?kind=preference&format=trl&split=train&… with
 * "Authorization: Bearer <API token>" streams JSONL straight from a database cursor.
 */
export async function GET(request: NextRequest, { params }: { params: Promise<{ slug: string }> }) {
  const db = getDb();
  let start: { projectId: string; options: NonNullable<ReturnType<typeof exportOptionsFromStrings>['data']>; split: 'train' | 'test' | 'all' };
  try {
    await authenticateApiToken(db, request.headers.get('authorization'), 'export');
    const { split = 'all', ...query } = Object.fromEntries(request.nextUrl.searchParams);
    if (!['train', 'test', 'all'].includes(split)) throw new DomainError('invalid_input', 'split: must be train, test or all', 400, 'split');
    const parsed = exportOptionsFromStrings(query);
    if (!parsed.success) throw invalidInput(parsed.error);
    const project = await requireProject(db, (await params).slug);
    start = { projectId: project.id, options: parsed.data, split: split as 'train' | 'test' | 'all' };
  } catch (error) {
    if (error instanceof DomainError) return domainErrorResponse(error);
    throw error;
  }

  const lines = streamExport(process.env.DATABASE_URL!, start.projectId, start.options, start.split);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await lines.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await lines.return(undefined);
    },
  });
  return new NextResponse(body, { headers: { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store' } });
}
