import fs from 'node:fs';
import { pipeline, Transform } from 'node:stream';
import { parse as parseCsv } from 'csv-parse';
import { parseAlpacaRecord, type AlpacaOutput } from '../formats/alpaca.ts';
import { csvColumnsProblem, parseCsvRecord } from '../formats/csv.ts';
import { parseHHRecord } from '../formats/hh.ts';
import { FieldError, type ImportedItem } from '../formats/item.ts';
import { parseMessagesRecord } from '../formats/messages.ts';
import { parsePromptRecord } from '../formats/prompts.ts';
import { readLines } from './lines.ts';

export const IMPORT_FORMATS = ['jsonl', 'csv', 'hh', 'alpaca', 'messages'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export interface LineError {
  line: number;
  field: string;
  reason: string;
}

export type RecordResult = { line: number; bytesRead: number; item: ImportedItem } | { line: number; bytesRead: number; error: LineError };

export interface ReadOptions {
  alpacaOutput?: AlpacaOutput;
}

function jsonParser(format: Exclude<ImportFormat, 'csv'>, options: ReadOptions): (value: unknown) => ImportedItem {
  switch (format) {
    case 'jsonl':
      return parsePromptRecord;
    case 'messages':
      return parseMessagesRecord;
    case 'hh':
      return parseHHRecord;
    case 'alpaca':
      return (value) => parseAlpacaRecord(value, options.alpacaOutput);
  }
}

function asLineError(line: number, error: unknown): LineError {
  if (error instanceof FieldError) return { line, field: error.field, reason: error.reason };
  return { line, field: 'record', reason: (error as Error).message };
}

/** Every record of an import file, parsed and checked, or the reason it cannot be imported. */
export async function* readRecords(path: string, format: ImportFormat, options: ReadOptions = {}): AsyncGenerator<RecordResult> {
  if (format === 'csv') {
    yield* readCsvRecords(path);
    return;
  }
  const parse = jsonParser(format, options);
  for await (const result of readLines(path)) {
    const { line, bytesRead } = result;
    if ('error' in result) {
      yield { line, bytesRead, error: { line, field: 'line', reason: result.error } };
      continue;
    }
    if (result.text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(result.text);
    } catch (error) {
      yield { line, bytesRead, error: { line, field: 'json', reason: `not valid JSON (${(error as Error).message})` } };
      continue;
    }
    try {
      yield { line, bytesRead, item: parse(value) };
    } catch (error) {
      yield { line, bytesRead, error: asLineError(line, error) };
    }
  }
}

/** Refuses bytes that are not UTF-8 before the CSV parser sees them, naming the line. */
function utf8Guard(): Transform {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let lines = 1;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      try {
        decoder.decode(chunk, { stream: true });
      } catch {
        callback(Object.assign(new Error('is not valid UTF-8'), { lines }));
        return;
      }
      for (const byte of chunk) if (byte === 0x0a) lines += 1;
      callback(null, chunk);
    },
  });
}

async function* readCsvRecords(path: string): AsyncGenerator<RecordResult> {
  const file = fs.createReadStream(path);
  const parser = parseCsv({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true, max_record_size: 4 * 1024 * 1024 });
  // pipeline (unlike pipe) carries the UTF-8 guard's error through to the parser we iterate.
  pipeline(file, utf8Guard(), parser, () => {});
  let header: string[] | null = null;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const line = info.lines;
      const bytesRead = file.bytesRead;
      if (!header) {
        header = record.map((column) => column.trim().toLowerCase());
        const problem = csvColumnsProblem(header);
        if (problem) {
          yield { line, bytesRead, error: { line, field: 'header', reason: problem } };
          return;
        }
        continue;
      }
      if (record.length !== header.length) {
        yield { line, bytesRead, error: { line, field: 'row', reason: `has ${record.length} fields; the header has ${header.length}` } };
        continue;
      }
      const row = Object.fromEntries(header.map((column, i) => [column, record[i]!]));
      try {
        yield { line, bytesRead, item: parseCsvRecord(row) };
      } catch (error) {
        yield { line, bytesRead, error: asLineError(line, error) };
      }
    }
  } catch (error) {
    // Malformed CSV (an unclosed quote, say) stops the parser: report where, and stop.
    const line = (error as { lines?: number }).lines ?? 0;
    yield { line, bytesRead: file.bytesRead, error: { line, field: 'csv', reason: (error as Error).message } };
  } finally {
    file.destroy();
  }
}
