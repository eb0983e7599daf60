import { getDb } from '@/lib/db';
import { handleChatCompletions } from '@/lib/serving/chat-completions';

/** OpenAI-compatible chat completions from the bundled model; an API token (scope "inference") authenticates. */
export async function POST(request: Request) {
  return handleChatCompletions(getDb(), request);
}
