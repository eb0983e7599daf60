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
import { BodyTooLarge, readTextWithin } from '../http/body.ts';
import type { ChatTurn } from '../training/tokenizer.ts';
import { inference as defaultInference, InferenceCancelled, InferenceTimedOut, type Completion, type Inference } from './inference.ts';
import { servedModel, servedModels } from './models.ts';

const MAX_TOKENS = 1024;
/** Far more than the bundled models' context (at most 4096 tokens) can use; the limits only keep a request from tying up the server. */
export const MAX_BODY_BYTES = 1024 * 1024;
export const MAX_MESSAGES = 256;
export const MAX_MESSAGE_CHARS = 100_000;
const DEFAULT_TIMEOUT_SECONDS = 120;

/** How long the model may take to write one reply, from when it starts (queueing not included): FEEDLOOP_INFERENCE_TIMEOUT_SECONDS, default 120. */
export function inferenceTimeoutMs(env: Record<string, string | undefined> = process.env): number {
  const asked = Number(env.FEEDLOOP_INFERENCE_TIMEOUT_SECONDS);
  return (Number.isFinite(asked) && asked > 0 ? asked : DEFAULT_TIMEOUT_SECONDS) * 1000;
}

const text = z.string().max(MAX_MESSAGE_CHARS, `must be at most ${MAX_MESSAGE_CHARS} characters`);
const content = z.union([
  text,
  z
    .array(z.object({ type: z.literal('text'), text }).passthrough())
    .max(MAX_MESSAGES, `must have at most ${MAX_MESSAGES} parts`)
    .transform((parts) => parts.map((p) => p.text).join(''))
    .pipe(text),
]);

export const chatRequestSchema = z
  .object({
    model: z.string().min(1, 'is required').max(200, 'must be at most 200 characters'),
    messages: z
      .array(z.object({ role: z.enum(['system', 'developer', 'user', 'assistant']), content }).passthrough())
      .min(1, 'must hold at least one message')
      .max(MAX_MESSAGES, `must hold at most ${MAX_MESSAGES} messages`)
      .refine((m) => m.at(-1)?.role === 'user', 'must end with a user message'),
    temperature: z.number().min(0).max(2).default(1),
    top_p: z.number().gt(0).max(1).default(1),
    /** Not in OpenAI's protocol, but common in compatible servers. */
    top_k: z.number().int().min(0).default(0),
    max_tokens: z.number().int().min(1).nullish(),
    max_completion_tokens: z.number().int().min(1).nullish(),
    n: z.number().int().min(1).max(8).default(1),
    seed: z.number().int().nullish(),
    stop: z.union([z.string().max(200), z.array(z.string().max(200)).max(4)]).nullish(),
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

function errorResponse({ status, message, type, param, code }: OpenAIError, headers?: HeadersInit): Response {
  return Response.json({ error: { message, type, param, code } }, { status, headers });
}

function fromDomain(error: DomainError): Response {
  const type = error.status === 401 ? 'authentication_error' : error.status === 403 ? 'permission_error' : error.status === 404 ? 'not_found_error' : 'invalid_request_error';
  return errorResponse({ status: error.status, message: error.message, type, param: error.field ?? null, code: error.code });
}

/** A conversation as the model's chat template sees it: "developer" is OpenAI's newer name for "system". */
function toTurns(messages: ChatRequest['messages']): ChatTurn[] {
  return messages.map((m) => ({ role: m.role === 'developer' ? 'system' : m.role, content: m.content as string }));
}

export interface ServingLimits {
  /** Per reply, from when the worker starts writing it (not while it waits its turn); default inferenceTimeoutMs(). */
  timeoutMs?: number;
  maxBodyBytes?: number;
}

export async function handleChatCompletions(db: Db, request: Request, inference: Inference = defaultInference(), limits: ServingLimits = {}): Promise<Response> {
  const timeoutMs = limits.timeoutMs ?? inferenceTimeoutMs();
  let body: ChatRequest;
  let checkpoint: string;
  try {
    await authenticateApiToken(db, request.headers.get('authorization'), 'inference');
    let raw: unknown;
    try {
      raw = JSON.parse(await readTextWithin(request, limits.maxBodyBytes ?? MAX_BODY_BYTES));
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        // The rest of the body may still be on its way: the connection cannot carry another request.
        return errorResponse(
          { status: 413, message: `${error.message} Send fewer or shorter messages.`, type: 'invalid_request_error', param: null, code: 'request_too_large' },
          { Connection: 'close' },
        );
      }
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

  // Generation stops at its next token when the client goes away or the time is up: the worker
  // would otherwise go on writing a reply nobody reads, with every other request queued behind it.
  const left = new AbortController();
  const signal = AbortSignal.any([request.signal, left.signal]);
  const seconds = Math.round(timeoutMs / 100) / 10;

  if (!body.stream) {
    const results = [];
    try {
      for (let i = 0; i < body.n; i++) results.push(await inference.complete(checkpoint, prompt, options(i), { signal, timeLimitMs: timeoutMs }));
    } catch (error) {
      if (!(error instanceof InferenceCancelled) && !(error instanceof InferenceTimedOut)) throw error;
      if (error instanceof InferenceTimedOut) {
        // A retry would take as long again: OpenAI's clients (and Feedloop's generator) skip retries on x-should-retry: false.
        return errorResponse(
          {
            status: 504,
            message: `The reply was not finished within the ${seconds} s this server allows for writing one; ask for fewer tokens (max_tokens) or fewer choices (n).`,
            type: 'timeout_error',
            param: null,
            code: 'timeout',
          },
          { 'x-should-retry': 'false' },
        );
      }
      // The client has gone; nobody reads this.
      return errorResponse({ status: 499, message: 'The client closed the request.', type: 'invalid_request_error', param: null, code: 'client_closed' });
    }
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
      let index = 0;
      try {
        for (; index < body.n && !closed; index++) {
          send(chunk([{ index, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }]));
          let result: Completion;
          try {
            result = await inference.complete(checkpoint, prompt, options(index), {
              signal,
              timeLimitMs: timeoutMs,
              onText: (text) => send(chunk([{ index, delta: { content: text }, logprobs: null, finish_reason: null }])),
            });
          } catch (error) {
            // Out of time mid-reply: the reply ends cut short, as at max_tokens. Clients keep the text
            // they have and finish normally; an error event would make the official SDKs throw it away.
            if (!(error instanceof InferenceTimedOut)) throw error;
            result = error.partial;
          }
          results.push(result);
          send(chunk([{ index, delta: {}, logprobs: null, finish_reason: result.finishReason }]));
        }
        if (body.stream_options?.include_usage) send(chunk([], { usage: usage(results) }));
        send(encoder.encode('data: [DONE]\n\n'));
      } catch (error) {
        // A client that left (InferenceCancelled) reads nothing more.
        if (!(error instanceof InferenceCancelled)) {
          // Headers are gone by now: the error travels as an event, as OpenAI's servers do.
          const message = error instanceof Error ? error.message : String(error);
          send(encoder.encode(`data: ${JSON.stringify({ error: { message, type: 'server_error', param: null, code: null } })}\n\n`));
        }
      }
      if (!closed) controller.close();
    },
    cancel() {
      closed = true;
      left.abort();
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
