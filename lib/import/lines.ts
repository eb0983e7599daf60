import fs from 'node:fs';

export const MAX_LINE_BYTES = 4 * 1024 * 1024;

export type LineResult = { line: number; text: string; bytesRead: number } | { line: number; error: string; bytesRead: number };

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Streams a file line by line, in bounded memory: a line longer than `maxBytes` is reported and
 * skipped without being held. Each line is decoded on its own, so invalid UTF-8 is reported with
 * its line number. A UTF-8 byte-order mark is dropped; a UTF-16 file is refused.
 */
export async function* readLines(path: string, maxBytes = MAX_LINE_BYTES): AsyncGenerator<LineResult> {
  let line = 0;
  let bytesRead = 0;
  let parts: Buffer[] = [];
  let partsLength = 0;
  let overflow = false;
  let first = true;

  const finish = (): LineResult => {
    line += 1;
    if (overflow) {
      overflow = false;
      parts = [];
      partsLength = 0;
      return { line, error: `is longer than ${Math.round(maxBytes / 1024 / 1024)} MiB`, bytesRead };
    }
    let bytes = Buffer.concat(parts, partsLength);
    parts = [];
    partsLength = 0;
    if (bytes.at(-1) === 0x0d) bytes = bytes.subarray(0, -1);
    try {
      return { line, text: decoder.decode(bytes), bytesRead };
    } catch {
      return { line, error: 'is not valid UTF-8', bytesRead };
    }
  };

  for await (const chunk of fs.createReadStream(path, { highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>) {
    let data = chunk;
    if (first) {
      first = false;
      if ((data[0] === 0xff && data[1] === 0xfe) || (data[0] === 0xfe && data[1] === 0xff)) {
        yield { line: 1, error: 'the file is UTF-16; save it as UTF-8', bytesRead: data.length };
        return;
      }
      if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) data = data.subarray(3);
    }
    let start = 0;
    while (start < data.length) {
      const newline = data.indexOf(0x0a, start);
      const end = newline === -1 ? data.length : newline;
      if (!overflow) {
        if (partsLength + (end - start) > maxBytes) overflow = true;
        else {
          parts.push(Buffer.from(data.subarray(start, end)));
          partsLength += end - start;
        }
      }
      bytesRead += end - start + (newline === -1 ? 0 : 1);
      if (newline === -1) break;
      yield finish();
      start = newline + 1;
    }
  }
  if (partsLength > 0 || overflow) yield finish();
}
