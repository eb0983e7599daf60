/**
 * Reading a request body with a ceiling. A declared Content-Length over the limit is refused
 * before anything is read; a body without one (chunked) is counted as it arrives and reading
 * stops at the first byte past the limit, so an oversized upload never sits whole in memory.
 */

export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`The request body is larger than the ${formatBytes(limit)} this endpoint accepts.`);
    this.name = 'BodyTooLarge';
  }
}

function formatBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MB` : bytes % 1024 === 0 ? `${bytes / 1024} KB` : `${bytes} bytes`;
}

/** The body as UTF-8 text, or BodyTooLarge when it is longer than `limit` bytes. */
export async function readTextWithin(request: Request, limit: number): Promise<string> {
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) throw new BodyTooLarge(limit);
  if (!request.body) return '';
  const reader = request.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw new BodyTooLarge(limit);
    }
    parts.push(value);
  }
  return Buffer.concat(parts).toString('utf8');
}
