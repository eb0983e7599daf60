import fs from 'node:fs';
import { Readable } from 'node:stream';
import { NextResponse } from 'next/server';
import { withAccess } from '@/lib/auth/guard';
import { getDb } from '@/lib/db';
import { findTrainingFile } from '@/lib/training/runs';

/**
 * Downloads one file of a run's checkpoint (model.safetensors, config.json, …), streamed from
 * disk. Only the names a checkpoint is made of are served, from the run's own folder.
 */
export const GET = withAccess<{ id: string; name: string }>(async (_request, _user, { params }) => {
  const { id, name } = await params;
  const file = await findTrainingFile(getDb(), id, name);
  if (!file) return NextResponse.json({ error: 'not_found', message: 'No such file in this checkpoint.' }, { status: 404 });
  const body = Readable.toWeb(fs.createReadStream(file.path)) as ReadableStream<Uint8Array>;
  return new NextResponse(body, {
    headers: {
      'content-type': name.endsWith('.json') ? 'application/json; charset=utf-8' : 'application/octet-stream',
      'content-length': String(file.size),
      'content-disposition': `attachment; filename="${file.downloadName}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  });
});
