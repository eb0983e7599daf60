import { z } from 'zod';

/** The model as data: saved as config.json in every checkpoint. */
export const modelConfigSchema = z
  .object({
    vocabSize: z.number().int().min(262).max(65_536),
    contextLength: z.number().int().min(8).max(4096),
    layers: z.number().int().min(1).max(48),
    width: z.number().int().min(8).max(4096),
    heads: z.number().int().min(1).max(64),
    /** 'lm' predicts the next token; 'reward' reads one scalar off the last token. */
    head: z.enum(['lm', 'reward']).default('lm'),
  })
  .strict()
  .refine((c) => c.width % c.heads === 0, { message: 'width must be divisible by heads', path: ['heads'] });

export type ModelConfig = z.infer<typeof modelConfigSchema>;

/** Training hyper-parameters; every one has a default so `--config` files can stay short. */
export const trainConfigSchema = z
  .object({
    vocabSize: z.number().int().min(262).max(65_536).default(2048),
    contextLength: z.number().int().min(8).max(4096).default(256),
    layers: z.number().int().min(1).max(48).default(4),
    width: z.number().int().min(8).max(4096).default(128),
    heads: z.number().int().min(1).max(64).default(4),
    steps: z.number().int().min(1).max(10_000_000).default(300),
    batchSize: z.number().int().min(1).max(4096).default(8),
    learningRate: z.number().positive().max(1).default(1e-3),
    warmupSteps: z.number().int().min(0).default(20),
    weightDecay: z.number().min(0).max(1).default(0.01),
    gradClip: z.number().positive().default(1),
    /** DPO's β: how far the policy may move from the reference. */
    beta: z.number().positive().max(100).default(0.1),
    /** Weight of an NLL term on the chosen reply in DPO; without it small models' samples degenerate. */
    nllWeight: z.number().min(0).max(100).default(1),
    evalEvery: z.number().int().min(1).default(50),
    checkpointEvery: z.number().int().min(1).default(100),
    seed: z.number().int().default(1),
  })
  .strict();

export type TrainConfig = z.infer<typeof trainConfigSchema>;

export function modelConfigFrom(train: TrainConfig, head: ModelConfig['head']): ModelConfig {
  return modelConfigSchema.parse({
    vocabSize: train.vocabSize,
    contextLength: train.contextLength,
    layers: train.layers,
    width: train.width,
    heads: train.heads,
    head,
  });
}
