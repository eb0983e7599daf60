import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { DomainError } from '../errors.ts';
import { IMPORT_FORMATS } from './records.ts';

export const MAX_UPLOAD_BYTES = 1024 * 1024 * 1024;

export const uploadOptions = z.object({
  format: z.enum(IMPORT_FORMATS, { error: `format must be one of ${IMPORT_FORMATS.join(', ')}` }),
  skipBadLines: z.enum(['true', 'false']).default('false').transform((value) => value === 'true'),
  alpacaOutput: z.enum(['candidate', 'reference']).default('candidate'),
});

/**
 * Streams an uploaded request body to a temporary file, so that a large file never sits in
 * memory; the importer then reads it twice (check, then import). Returns the file's path.
 */
export async function saveUpload(body: ReadableStream<Uint8Array> | null, maxBytes = MAX_UPLOAD_BYTES): Promise<string> {
  if (!body) throw new DomainError('empty_upload', 'file: the upload is empty.', 400, 'file');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'feedloop-upload-'));
  const file = path.join(dir, 'upload');
  let received = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      received += chunk.length;
      if (received > maxBytes) callback(new DomainError('too_large', `file: larger than ${maxBytes / 1024 / 1024} MiB.`, 400, 'file'));
      else callback(null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(body as import('node:stream/web').ReadableStream), limit, fs.createWriteStream(file));
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return file;
}

export function discardUpload(file: string): void {
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
}
