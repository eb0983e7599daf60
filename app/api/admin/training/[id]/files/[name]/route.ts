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
  // Opened first, then measured and read through the same handle: a save that swaps the
  // checkpoint meanwhile cannot pair one save's length with another's bytes.
  const handle = await fs.promises.open(file.path, 'r');
  const { size } = await handle.stat();
  const body = Readable.toWeb(handle.createReadStream()) as ReadableStream<Uint8Array>;
  return new NextResponse(body, {
    headers: {
      'content-type': name.endsWith('.json') ? 'application/json; charset=utf-8' : 'application/octet-stream',
      'content-length': String(size),
      'content-disposition': `attachment; filename="${file.downloadName}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  });
});
