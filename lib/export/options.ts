import { z } from 'zod';

export const SFT_FORMATS = ['messages'] as const;
export const PREFERENCE_FORMATS = ['trl', 'trl-conversational', 'openai', 'hh'] as const;

/** Every choice an export takes, shared by the CLI, the admin page and the HTTP route. */
export const exportOptions = z
  .object({
    kind: z.enum(['sft', 'preference']),
    format: z.enum([...SFT_FORMATS, ...PREFERENCE_FORMATS]),
    /** Preference pairs of every labeler, or one pair per candidate pair by majority. */
    mode: z.enum(['per-labeler', 'aggregate']).default('per-labeler'),
    guidelineVersions: z.array(z.coerce.number().int().min(1)).optional(),
    from: z.coerce.date().optional(),
    to: z.coerce.date().optional(),
    /** SFT: only reviewer-approved demonstrations, or every submitted one that was not rejected. */
    reviewStatus: z.enum(['approved', 'submitted']).default('submitted'),
    /** Items a labeler flagged unsafe: keep them, leave them out, or export only them. */
    unsafe: z.enum(['include', 'exclude', 'only']).default('include'),
    /** Aggregated pairs: the least share of labelers that must agree. */
    minAgreement: z.coerce.number().min(0).max(1).default(0),
    refusals: z.enum(['include', 'drop']).default('include'),
    /** SFT: also the top candidate of rankings that every labeler rated ≥ 4 on all three scales. */
    bestOfN: z.boolean().default(false),
    metadata: z.boolean().default(false),
    testFraction: z.coerce.number().min(0).max(0.9).default(0),
    seed: z.coerce.number().int().default(1),
  })
  .refine((o) => (o.kind === 'sft' ? o.format === 'messages' : o.format !== 'messages'), {
    message: 'SFT exports use the "messages" format; preference exports use trl, trl-conversational, openai or hh',
    path: ['format'],
  });

export type ExportOptions = z.infer<typeof exportOptions>;

/**
 * Export options from a query string or CLI flags given as strings: lists are comma-separated
 * ("guidelineVersions=1,2"), booleans are "true"/"false".
 */
export function exportOptionsFromStrings(values: Record<string, string | undefined>) {
  const bool = (value: string | undefined) => (value === undefined ? undefined : value === 'true' || value === '');
  return exportOptions.safeParse({
    ...values,
    guidelineVersions: values.guidelineVersions?.split(',').filter(Boolean),
    bestOfN: bool(values.bestOfN),
    metadata: bool(values.metadata),
  });
}
