/** A refused request, with the server's stable code, its human message and the input it names. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly field?: string,
  ) {
    super(message);
  }
}

export async function api<T>(url: string, init: { method?: string; body?: unknown; keepalive?: boolean } = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: init.method ?? 'GET',
      headers: init.body === undefined ? undefined : { 'content-type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      keepalive: init.keepalive,
    });
  } catch {
    throw new ApiError('network', 'The server could not be reached. Your work is kept here; try again.', 0);
  }
  const body = (await response.json().catch(() => null)) as { error?: string; message?: string; field?: string } | null;
  if (!response.ok) throw new ApiError(body?.error ?? `http_${response.status}`, body?.message ?? response.statusText, response.status, body?.field);
  return body as T;
}
