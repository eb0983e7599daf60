/**
 * An HTTP(S) request that connects only to an address that passed the endpoint check.
 * fetch resolves the hostname again when it connects, so a DNS server that answers a safe
 * address to the check and 169.254.169.254 to the connection (DNS rebinding) would get past
 * the check. Here the name is resolved once, every address is checked, and the socket is
 * handed exactly those addresses through its `lookup`; the hostname stays in the Host header,
 * the TLS SNI and the certificate check, so HTTPS works as it does with fetch.
 */
import type dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import zlib from 'node:zlib';
import { allowedAddresses, hostOf, systemLookup, type Lookup } from './endpoint-url.ts';

export interface PinnedResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Why a request failed before an answer was complete; `phase` tells a refused connection from a broken answer. */
export class RequestError extends Error {
  constructor(
    message: string,
    readonly phase: 'connect' | 'answer',
  ) {
    super(message);
  }
}

export interface PinnedOptions {
  headers: Record<string, string>;
  body: string;
  signal: AbortSignal;
  lookup?: Lookup;
  /** Extra trusted certificates (tests with their own CA); the system's are used otherwise. */
  ca?: string;
}

/** A `lookup` for net.connect that answers only with the checked addresses, and only for the checked name. */
function pinnedLookup(host: string, addresses: string[]): net.LookupFunction {
  const entries: dns.LookupAddress[] = addresses.map((address) => ({ address, family: net.isIPv6(address) ? 6 : 4 }));
  return (hostname, options, callback) => {
    const family = options.family === 4 || options.family === 'IPv4' ? 4 : options.family === 6 || options.family === 'IPv6' ? 6 : 0;
    const usable = entries.filter((e) => family === 0 || e.family === family);
    if (hostname.toLowerCase() !== host || usable.length === 0) {
      const error: NodeJS.ErrnoException = Object.assign(new Error(`no checked address for ${hostname}`), { code: 'ENOTFOUND' });
      callback(error, '');
      return;
    }
    if (options.all) callback(null, usable);
    else callback(null, usable[0]!.address, usable[0]!.family);
  };
}

function decoded(response: http.IncomingMessage): NodeJS.ReadableStream {
  // Like fetch, accept compressed answers: a proxy in front of the endpoint may compress.
  switch ((response.headers['content-encoding'] ?? '').trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return response.pipe(zlib.createGunzip());
    case 'deflate':
      return response.pipe(zlib.createInflate());
    case 'br':
      return response.pipe(zlib.createBrotliDecompress());
    default:
      return response;
  }
}

/**
 * POSTs `body` to `url`. Throws RefusedHost (from endpoint-url.ts) when an address is refused,
 * the lookup's own error when the name does not resolve, an AbortError when `signal` aborts
 * (also while the answer is arriving), and RequestError otherwise. Redirects are returned, never followed.
 */
export async function pinnedPost(url: URL, options: PinnedOptions): Promise<PinnedResponse> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RequestError(`${url.protocol} URLs are not called`, 'connect');
  options.signal.throwIfAborted();
  const host = hostOf(url);
  // A resolver that hangs must not outlast the timeout or a cancel.
  const addresses = await new Promise<string[]>((resolve, reject) => {
    const onAbort = () => reject(options.signal.reason);
    options.signal.addEventListener('abort', onAbort, { once: true });
    allowedAddresses(host, options.lookup ?? systemLookup)
      .then(resolve, reject)
      .finally(() => options.signal.removeEventListener('abort', onAbort));
  });
  const secure = url.protocol === 'https:';
  return new Promise<PinnedResponse>((resolve, reject) => {
    let settled = false;
    let answering = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      options.signal.removeEventListener('abort', onAbort);
      outcome();
    };
    const fail = (error: Error) => settle(() => reject(error));
    // The abort covers the whole exchange, reading the answer included, as fetch's signal does.
    const onAbort = () => {
      fail(Object.assign(new Error('the request was aborted'), { name: 'AbortError', cause: options.signal.reason }));
      request.destroy();
    };
    const request = (secure ? https : http).request(
      {
        method: 'POST',
        host,
        port: url.port || (secure ? 443 : 80),
        path: `${url.pathname}${url.search}`,
        headers: { ...options.headers, 'Accept-Encoding': 'gzip, deflate, br', 'Content-Length': String(Buffer.byteLength(options.body)) },
        lookup: pinnedLookup(host, addresses),
        // A connection of its own: a pooled socket could have been opened by other code, to an unchecked address.
        agent: false,
        ...(secure && !net.isIP(host) && { servername: host }),
        ...(secure && options.ca !== undefined && { ca: options.ca }),
      },
      (response) => {
        answering = true;
        const chunks: Buffer[] = [];
        const stream = decoded(response);
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => settle(() => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') })));
        stream.on('error', (error: Error) => fail(new RequestError(error.message, 'answer')));
        response.on('close', () => {
          if (!response.complete) fail(new RequestError('the connection closed before the whole answer arrived', 'answer'));
        });
      },
    );
    options.signal.addEventListener('abort', onAbort, { once: true });
    request.on('error', (error: Error) => fail(new RequestError(error.message, answering ? 'answer' : 'connect')));
    request.end(options.body);
  });
}
