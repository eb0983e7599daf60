import { getDb } from '@/lib/db';
import { handleListModels } from '@/lib/serving/chat-completions';

/** The checkpoints /v1/chat/completions serves (finished SFT and DPO runs), for OpenAI clients' models.list(). */
export async function GET(request: Request) {
  return handleListModels(getDb(), request);
}
