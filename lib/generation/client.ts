/**
 * One call to an OpenAI-compatible chat-completions endpoint, with the failure handling a
 * batch job needs: a timeout per request, bounded retries with exponential back-off (and the
 * server's Retry-After) on 429, 5xx, timeouts, dropped connections and garbled bodies, and an
 * immediate, explained failure on anything a retry cannot fix (400, 401, 403, 404…).
 * Redirects are refused: they could lead past the address check of the registered URL.
 * The connection goes only to an address that passed that check (see pinned-request.ts).
 */
import { z } from 'zod';
import { RefusedHost, type Lookup } from './endpoint-url.ts';
import { pinnedPost, RequestError, type PinnedResponse } from './pinned-request.ts';

export interface Endpoint {
  baseUrl: string;
  model: string;
  apiKey: string | null;
}

export interface Sampling {
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  seed?: number;
}

export interface CallPolicy {
  timeoutMs: number;
  retries: number;
  backoffMs: number;
  maxBackoffMs: number;
  sleep?: (ms: number) => Promise<void>;
  /** Name resolution for the endpoint's host (tests stand in a DNS server here). */
  lookup?: Lookup;
  /** Aborts a call in flight and stops retrying (a cancelled run). */
  signal?: AbortSignal;
}

export const DEFAULT_POLICY: CallPolicy = { timeoutMs: 60_000, retries: 3, backoffMs: 500, maxBackoffMs: 20_000 };

export class CallError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly attempts = 1,
  ) {
    super(message);
  }
}

/**
 * The endpoint answered nothing (or only white space). With a seed, asking again gives the same
 * nothing, so that is not retried here: the run draws a fresh seed instead (lib/generation/plan.ts).
 */
export class EmptyAnswer extends CallError {}

const responseSchema = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable() }) })).min(1),
});

type ChatMessage = { role: 'system' | 'user' | 'assistant'; content: string };

async function attempt(endpoint: Endpoint, messages: ChatMessage[], sampling: Sampling, policy: CallPolicy): Promise<string> {
  const body = {
    model: endpoint.model,
    messages,
    ...(sampling.temperature !== undefined && { temperature: sampling.temperature }),
    ...(sampling.topP !== undefined && { top_p: sampling.topP }),
    ...(sampling.maxTokens !== undefined && { max_tokens: sampling.maxTokens }),
    ...(sampling.seed !== undefined && { seed: sampling.seed }),
  };
  let response: PinnedResponse;
  try {
    response = await pinnedPost(new URL(`${endpoint.baseUrl}/chat/completions`), {
      headers: { 'Content-Type': 'application/json', ...(endpoint.apiKey && { Authorization: `Bearer ${endpoint.apiKey}` }) },
      body: JSON.stringify(body),
      signal: policy.signal ? AbortSignal.any([policy.signal, AbortSignal.timeout(policy.timeoutMs)]) : AbortSignal.timeout(policy.timeoutMs),
      lookup: policy.lookup,
    });
  } catch (error) {
    if (policy.signal?.aborted) throw new CallError('cancelled', false);
    if (error instanceof RefusedHost) throw new CallError(`refused to connect: ${error.message}`, false);
    const name = (error as Error).name;
    if (name === 'TimeoutError' || name === 'AbortError') throw new CallError(`no answer within ${policy.timeoutMs < 1000 ? `${policy.timeoutMs} ms` : `${Math.round(policy.timeoutMs / 1000)} s`}`, true);
    if (error instanceof RequestError && error.phase === 'answer') throw new CallError(`the answer broke off: ${error.message}`, true);
    throw new CallError(`could not connect: ${(error as Error).message}`, true);
  }
  const text = response.body;
  if (response.status >= 300 && response.status < 400 && response.headers.location) {
    throw new CallError('the endpoint answered with a redirect, which is never followed: register the final URL', false);
  }
  if (response.status < 200 || response.status >= 300) {
    const detail = (() => {
      try {
        // OpenAI's error shape carries a message; other JSON bodies say nothing a person can use.
        return (JSON.parse(text) as { error?: { message?: string } } | null)?.error?.message ?? '';
      } catch {
        return text.slice(0, 200);
      }
    })();
    // x-should-retry: false is how a server (OpenAI's, or Feedloop's own on a time-out) says a retry would fail the same way.
    const retryable = response.headers['x-should-retry'] !== 'false' && (response.status === 429 || response.status >= 500);
    const error = new CallError(`HTTP ${response.status}${detail ? `: ${detail}` : ''}`, retryable);
    const header = response.headers['retry-after'];
    (error as CallError & { retryAfterMs?: number }).retryAfterMs = retryAfter(typeof header === 'string' ? header : null);
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CallError(`the answer is not valid JSON (${JSON.stringify(text.slice(0, 60))}…)`, true);
  }
  const parsed = responseSchema.safeParse(json);
  if (!parsed.success) throw new CallError(`the answer is not a chat completion (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message})`, true);
  const content = parsed.data.choices[0]!.message.content;
  if (!content?.trim()) throw new EmptyAnswer('the answer is empty', sampling.seed === undefined);
  return content;
}

function retryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function chatCompletion(endpoint: Endpoint, messages: ChatMessage[], sampling: Sampling, policy: CallPolicy = DEFAULT_POLICY): Promise<string> {
  const sleep = policy.sleep ?? defaultSleep;
  for (let i = 0; ; i++) {
    try {
      if (policy.signal?.aborted) throw new CallError('cancelled', false);
      return await attempt(endpoint, messages, sampling, policy);
    } catch (error) {
      if (!(error instanceof CallError)) throw error;
      if (!error.retryable || i >= policy.retries || policy.signal?.aborted) {
        // Same class as the last failure, so callers can tell an empty answer from the rest.
        const Failure = error.constructor as typeof CallError;
        throw new Failure(i > 0 ? `${error.message} (after ${i + 1} attempts)` : error.message, error.retryable, i + 1);
      }
      // Full jitter keeps many workers from retrying in step.
      const backoff = Math.min(policy.maxBackoffMs, policy.backoffMs * 2 ** i) * (0.5 + Math.random() / 2);
      const asked = (error as CallError & { retryAfterMs?: number }).retryAfterMs;
      await sleep(Math.min(policy.maxBackoffMs, Math.max(backoff, asked ?? 0)));
    }
  }
}
