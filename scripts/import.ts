/**
 * npm run import -- --project <slug> --format jsonl|csv|hh|alpaca|messages
 *                   [--skip-bad-lines] [--alpaca-output candidate|reference] [--json] <file>
 *
 * Streams the file, checks every record, and imports all of it or nothing (unless
 * --skip-bad-lines). With --json, the last line printed is the summary as JSON. Exits non-zero
 * when nothing was imported because of errors.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { cliDatabaseUrl } from '../lib/cli/database-url.ts';
import { progressBar } from '../lib/cli/progress.ts';
import { createDb } from '../lib/db.ts';
import { importFile } from '../lib/import/import-file.ts';
import { IMPORT_FORMATS } from '../lib/import/records.ts';

const USAGE = `usage: npm run import -- --project <slug> --format ${IMPORT_FORMATS.join('|')} [--skip-bad-lines] [--alpaca-output candidate|reference] [--json] <file>`;

const argsSchema = z.object({
  project: z.string({ error: '--project is required' }).min(1),
  format: z.enum(IMPORT_FORMATS, { error: `--format must be one of ${IMPORT_FORMATS.join(', ')}` }),
  file: z.string({ error: 'the file to import is required' }).min(1),
  skipBadLines: z.boolean(),
  alpacaOutput: z.enum(['candidate', 'reference'], { error: '--alpaca-output must be candidate or reference' }),
  json: z.boolean(),
});

function fail(message: string, code = 2): never {
  console.error(`import: ${message}\n${USAGE}`);
  process.exit(code);
}

async function main() {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        project: { type: 'string' },
        format: { type: 'string' },
        'skip-bad-lines': { type: 'boolean', default: false },
        'alpaca-output': { type: 'string', default: 'candidate' },
        json: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    fail((error as Error).message);
  }
  const args = argsSchema.safeParse({
    project: parsed.values.project,
    format: parsed.values.format,
    file: parsed.positionals[0],
    skipBadLines: parsed.values['skip-bad-lines'],
    alpacaOutput: parsed.values['alpaca-output'],
    json: parsed.values.json,
  });
  if (!args.success) fail(args.error.issues[0]!.message);
  const options = args.data;
  if (!fs.existsSync(options.file)) fail(`no such file: ${options.file}`);

  const db = createDb(cliDatabaseUrl());
  try {
    const project = await db.project.findUnique({ where: { slug: options.project }, select: { id: true } });
    if (!project) fail(`no project with the slug "${options.project}"`);
    const bar = progressBar(options.format);
    const summary = await importFile(db, {
      projectId: project.id,
      format: options.format,
      path: options.file,
      skipBadLines: options.skipBadLines,
      alpacaOutput: options.alpacaOutput,
      onProgress: ({ phase, fraction, records }) => bar.update(fraction, `${phase === 'validate' ? 'checking' : 'importing'} ${records} records`),
    });
    bar.done();
    for (const error of summary.errors) console.error(`line ${error.line}: ${error.field}: ${error.reason}`);
    if (summary.errorCount > summary.errors.length) console.error(`… and ${summary.errorCount - summary.errors.length} more bad records`);
    const verdict =
      summary.imported === 0 && summary.errorCount > 0 && !options.skipBadLines
        ? `nothing imported: ${summary.errorCount} bad record(s); fix them or pass --skip-bad-lines`
        : `imported ${summary.imported}, already present ${summary.duplicates}, skipped ${summary.skipped}`;
    console.log(verdict);
    if (options.json) {
      console.log(
        JSON.stringify({ imported: summary.imported, skipped: summary.skipped, duplicates: summary.duplicates, errors: summary.errors }),
      );
    }
    if (summary.imported === 0 && summary.errorCount > 0) process.exitCode = 1;
  } finally {
    await db.$disconnect();
  }
}

await main();
