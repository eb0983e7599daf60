/**
 * npm run export -- --project <slug> --kind sft|preference --format messages|trl|trl-conversational|openai|hh
 *                   [--per-labeler|--aggregate] [--min-agreement 0.6] [--test-fraction 0.1 --seed 1]
 *                   [--guideline-versions 1,2] [--from 2026-01-01] [--to 2026-02-01] [--review approved|submitted]
 *                   [--unsafe include|exclude|only] [--drop-refusals] [--best-of-n] [--metadata] --out <dir>
 *
 * Writes train.jsonl (and test.jsonl) and manifest.json into --out; the last line printed is a
 * JSON summary.
 */
import { parseArgs } from 'node:util';
import { cliDatabaseUrl } from '../lib/cli/database-url.ts';
import { createDb } from '../lib/db.ts';
import { exportOptionsFromStrings } from '../lib/export/options.ts';
import { exportToDirectory } from '../lib/export/run.ts';

function fail(message: string): never {
  console.error(`export: ${message}\nusage: npm run export -- --project <slug> --kind sft|preference --format <format> --out <dir> [options]`);
  process.exit(2);
}

async function main() {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        project: { type: 'string' },
        kind: { type: 'string' },
        format: { type: 'string' },
        out: { type: 'string' },
        'per-labeler': { type: 'boolean' },
        aggregate: { type: 'boolean' },
        'min-agreement': { type: 'string' },
        'test-fraction': { type: 'string' },
        seed: { type: 'string' },
        'guideline-versions': { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        review: { type: 'string' },
        unsafe: { type: 'string' },
        'drop-refusals': { type: 'boolean' },
        'best-of-n': { type: 'boolean' },
        metadata: { type: 'boolean' },
      },
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (!values.project) fail('--project is required');
  if (!values.out) fail('--out is required');
  if (values['per-labeler'] && values.aggregate) fail('choose --per-labeler or --aggregate, not both');
  const parsed = exportOptionsFromStrings({
    kind: values.kind as string | undefined,
    format: values.format as string | undefined,
    mode: values.aggregate ? 'aggregate' : 'per-labeler',
    minAgreement: values['min-agreement'] as string | undefined,
    testFraction: values['test-fraction'] as string | undefined,
    seed: values.seed as string | undefined,
    guidelineVersions: values['guideline-versions'] as string | undefined,
    from: values.from as string | undefined,
    to: values.to as string | undefined,
    reviewStatus: values.review as string | undefined,
    unsafe: values.unsafe as string | undefined,
    refusals: values['drop-refusals'] ? 'drop' : 'include',
    bestOfN: values['best-of-n'] ? 'true' : undefined,
    metadata: values.metadata ? 'true' : undefined,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    fail(`${issue.path.join('.') || 'options'}: ${issue.message}`);
  }

  const url = cliDatabaseUrl();
  const db = createDb(url);
  try {
    const project = await db.project.findUnique({ where: { slug: String(values.project) }, select: { id: true } });
    if (!project) fail(`no project with the slug "${values.project}"`);
    const started = performance.now();
    const result = await exportToDirectory(db, url, { projectId: project.id, options: parsed.data, outDir: String(values.out) });
    const seconds = (performance.now() - started) / 1000;
    for (const file of result.files) console.log(`${file.name}: ${file.rows} rows, sha256 ${file.sha256}`);
    console.log(`exported ${result.rows} rows in ${seconds.toFixed(1)} s to ${result.dir} (manifest.json beside the files)`);
    console.log(JSON.stringify({ rows: result.rows, files: result.files, dir: result.dir, exportRunId: result.runId }));
  } finally {
    await db.$disconnect();
  }
}

await main();
