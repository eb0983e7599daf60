/** A refused request to the admin guideline routes: the server's code, message and offending field. */
export class GuidelineApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly field?: string,
  ) {
    super(message);
  }
}

export async function guidelineApi<T>(url: string, init: { method: 'PUT' | 'POST'; body: unknown }): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { method: init.method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(init.body) });
  } catch {
    throw new GuidelineApiError('network', 'The server could not be reached.', 0);
  }
  const body = (await response.json().catch(() => null)) as { error?: string; message?: string; field?: string } | null;
  if (!response.ok) {
    throw new GuidelineApiError(body?.error ?? `http_${response.status}`, body?.message ?? response.statusText, response.status, body?.field);
  }
  return body as T;
}
