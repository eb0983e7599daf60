import { describe, expect, it } from 'vitest';
import { BodyTooLarge, readTextWithin } from './body.ts';

/** A body sent in pieces, without a Content-Length, as a chunked upload arrives. */
function chunked(pieces: string[]): { request: Request; pulled: () => number } {
  let pulled = 0;
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled === pieces.length) return controller.close();
      controller.enqueue(encoder.encode(pieces[pulled++]));
    },
  });
  return { request: new Request('http://localhost/x', { method: 'POST', body, duplex: 'half' } as RequestInit), pulled: () => pulled };
}

describe('readTextWithin', () => {
  it('returns a body up to the limit, multi-byte characters across pieces included', async () => {
    const euro = new TextEncoder().encode('€');
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(euro.slice(0, 1));
        controller.enqueue(euro.slice(1));
        controller.close();
      },
    });
    expect(await readTextWithin(new Request('http://localhost/x', { method: 'POST', body, duplex: 'half' } as RequestInit), 3)).toBe('€');
    expect(await readTextWithin(new Request('http://localhost/x', { method: 'POST', body: 'abcd' }), 4)).toBe('abcd');
  });

  it('refuses a declared length over the limit without reading', async () => {
    const request = new Request('http://localhost/x', { method: 'POST', body: 'abcde', headers: { 'content-length': '5' } });
    await expect(readTextWithin(request, 4)).rejects.toBeInstanceOf(BodyTooLarge);
    expect(request.bodyUsed).toBe(false);
  });

  it('stops reading a chunked body at the first piece past the limit', async () => {
    const { request, pulled } = chunked(['aaaa', 'bbbb', 'cccc', 'dddd']);
    await expect(readTextWithin(request, 6)).rejects.toThrow('larger than the 6 bytes');
    expect(pulled()).toBeLessThan(4);
    await expect(readTextWithin(chunked(['x'.repeat(1024 * 1024), 'y']).request, 1024 * 1024)).rejects.toThrow('larger than the 1 MB this endpoint accepts');
  });
});
