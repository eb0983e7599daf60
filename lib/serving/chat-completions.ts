/**
 * OpenAI's chat-completions protocol in front of the bundled model, so any OpenAI client — and
 * Feedloop's own candidate generator — can call it: POST /v1/chat/completions (whole reply, or
 * server-sent events with `stream: true`) and GET /v1/models, authenticated by an API token
 * with the `inference` scope. Errors use OpenAI's `{"error": {message, type, param, code}}`.
 */
import crypto from 'node:crypto';
import { z } from 'zod';
import { authenticateApiToken } from '../auth/api-tokens.ts';
import type { Db } from '../db.ts';
import { DomainError } from '../errors.ts';
import type { ChatTurn } from '../training/tokenizer.ts';
import { inference as defaultInference, type Inference } from './inference.ts';
import { servedModel, servedModels } from './models.ts';

const MAX_TOKENS = 1024;

const content = z.union([
  z.string(),
  z.array(z.object({ type: z.literal('text'), text: z.string() }).passthrough()).transform((parts) => parts.map((p) => p.text).join('')),
]);

export const chatRequestSchema = z
  .object({
    model: z.string().min(1, 'is required'),
    messages: z
      .array(z.object({ role: z.enum(['system', 'developer', 'user', 'assistant']), content }).passthrough())
      .min(1, 'must hold at least one message')
      .refine((m) => m.at(-1)?.role === 'user', 'must end with a user message'),
    temperature: z.number().min(0).max(2).default(1),
    top_p: z.number().gt(0).max(1).default(1),
    /** Not in OpenAI's protocol, but common in compatible servers. */
    top_k: z.number().int().min(0).default(0),
    max_tokens: z.number().int().min(1).nullish(),
    max_completion_tokens: z.number().int().min(1).nullish(),
    n: z.number().int().min(1).max(8).default(1),
    seed: z.number().int().nullish(),
    stop: z.union([z.string(), z.array(z.string()).max(4)]).nullish(),
    stream: z.boolean().default(false),
    stream_options: z.object({ include_usage: z.boolean().optional() }).passthrough().nullish(),
  })
  .passthrough();

export type ChatRequest = z.infer<typeof chatRequestSchema>;

interface OpenAIError {
  status: number;
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

function errorResponse({ status, message, type, param, code }: OpenAIError): Response {
  return Response.json({ error: { message, type, param, code } }, { status });
}

function fromDomain(error: DomainError): Response {
  const type = error.status === 401 ? 'authentication_error' : error.status === 403 ? 'permission_error' : error.status === 404 ? 'not_found_error' : 'invalid_request_error';
  return errorResponse({ status: error.status, message: error.message, type, param: error.field ?? null, code: error.code });
}

/** A conversation as the model's chat template sees it: "developer" is OpenAI's newer name for "system". */
function toTurns(messages: ChatRequest['messages']): ChatTurn[] {
  return messages.map((m) => ({ role: m.role === 'developer' ? 'system' : m.role, content: m.content as string }));
}

export async function handleChatCompletions(db: Db, request: Request, inference: Inference = defaultInference()): Promise<Response> {
  let body: ChatRequest;
  let checkpoint: string;
  try {
    await authenticateApiToken(db, request.headers.get('authorization'), 'inference');
    let raw: unknown;
    try {
      raw = await request.json();
    } catch {
      return errorResponse({ status: 400, message: 'The request body is not valid JSON.', type: 'invalid_request_error', param: null, code: 'invalid_json' });
    }
    const parsed = chatRequestSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const param = issue.path.join('.');
      return errorResponse({ status: 400, message: `${param || 'body'}: ${issue.message}`, type: 'invalid_request_error', param: param || null, code: 'invalid_value' });
    }
    body = parsed.data;
    checkpoint = (await servedModel(db, body.model)).checkpoint;
  } catch (error) {
    if (error instanceof DomainError) return fromDomain(error);
    throw error;
  }

  const id = `chatcmpl-${crypto.randomUUID()}`;
  const created = Math.floor(Date.now() / 1000);
  const prompt = toTurns(body.messages);
  const baseSeed = body.seed ?? crypto.randomInt(0, 2 ** 31);
  const options = (index: number) => ({
    temperature: body.temperature,
    topP: body.top_p,
    topK: body.top_k,
    maxTokens: Math.min(body.max_completion_tokens ?? body.max_tokens ?? MAX_TOKENS, MAX_TOKENS),
    seed: baseSeed + index,
    stop: body.stop === null || body.stop === undefined ? [] : [body.stop].flat(),
  });
  const usage = (results: { tokens: number; promptTokens: number }[]) => {
    const completion = results.reduce((n, r) => n + r.tokens, 0);
    const promptTokens = results[0]?.promptTokens ?? 0;
    return { prompt_tokens: promptTokens, completion_tokens: completion, total_tokens: promptTokens + completion };
  };

  if (!body.stream) {
    const results = [];
    for (let i = 0; i < body.n; i++) results.push(await inference.complete(checkpoint, prompt, options(i)));
    return Response.json({
      id,
      object: 'chat.completion',
      created,
      model: body.model,
      choices: results.map((r, index) => ({ index, message: { role: 'assistant', content: r.text, refusal: null }, logprobs: null, finish_reason: r.finishReason })),
      usage: usage(results),
    });
  }

  const encoder = new TextEncoder();
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    encoder.encode(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: body.model, choices, ...extra })}\n\n`);
  // A client that goes away cancels the stream: later pieces are dropped, and no further choice starts.
  let closed = false;
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (bytes: Uint8Array) => {
        if (!closed) controller.enqueue(bytes);
      };
      const results = [];
      try {
        for (let index = 0; index < body.n && !closed; index++) {
          send(chunk([{ index, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }]));
          const result = await inference.complete(checkpoint, prompt, options(index), {
            onText: (text) => send(chunk([{ index, delta: { content: text }, logprobs: null, finish_reason: null }])),
          });
          results.push(result);
          send(chunk([{ index, delta: {}, logprobs: null, finish_reason: result.finishReason }]));
        }
        if (body.stream_options?.include_usage) send(chunk([], { usage: usage(results) }));
        send(encoder.encode('data: [DONE]\n\n'));
      } catch (error) {
        // Headers are gone by now: the error travels as an event, as OpenAI's servers do.
        const message = error instanceof Error ? error.message : String(error);
        send(encoder.encode(`data: ${JSON.stringify({ error: { message, type: 'server_error', param: null, code: null } })}\n\n`));
      }
      if (!closed) controller.close();
    },
    cancel() {
      closed = true;
    },
  });
  return new Response(stream, { headers: { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache', Connection: 'keep-alive' } });
}

export async function handleListModels(db: Db, request: Request): Promise<Response> {
  try {
    await authenticateApiToken(db, request.headers.get('authorization'), 'inference');
  } catch (error) {
    if (error instanceof DomainError) return fromDomain(error);
    throw error;
  }
  const models = await servedModels(db);
  return Response.json({
    object: 'list',
    data: models.map((m) => ({ id: m.id, object: 'model', created: Math.floor(m.created.getTime() / 1000), owned_by: `feedloop-${m.kind.toLowerCase()}` })),
  });
}
