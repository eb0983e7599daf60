/**
 * Where Feedloop's own server processes reach its web server, e.g. to call its /v1 for candidate
 * generation: FEEDLOOP_SELF_URL, else this machine's loopback at PORT (what `npm start` serves).
 * Never taken from a request: behind a proxy a request's URL names the proxy's side, not ours.
 */
export function selfUrl(env: Record<string, string | undefined> = process.env): string {
  const configured = env.FEEDLOOP_SELF_URL?.trim();
  if (configured) return configured.replace(/\/+$/, '');
  return `http://127.0.0.1:${env.PORT ?? 3000}`;
}
