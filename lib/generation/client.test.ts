import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallError, chatCompletion, EmptyAnswer, type CallPolicy } from './client.ts';
import { mapBounded } from './concurrency.ts';
import { checkEndpointUrl, refusedAddress, type Lookup } from './endpoint-url.ts';
import { pinnedPost } from './pinned-request.ts';
import { decryptSecret, encryptSecret } from './secrets.ts';

/** A stub OpenAI server on 127.0.0.1 whose behaviour each test scripts, one reply per request. */
let server: http.Server;
let baseUrl: string;
let script: ((res: http.ServerResponse, body: Record<string, unknown>) => void)[] = [];
let requests: { auth: string | undefined; body: Record<string, unknown> }[] = [];
let hosts: (string | undefined)[] = [];

const ok = (content: string) => (res: http.ServerResponse) => {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content } }] }));
};
const status = (code: number, headers: Record<string, string> = {}) => (res: http.ServerResponse) => {
  res.writeHead(code, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify({ error: { message: `stub says ${code}` } }));
};

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const body = JSON.parse(raw || '{}') as Record<string, unknown>;
      requests.push({ auth: req.headers.authorization, body });
      hosts.push(req.headers.host);
      const next = script.shift() ?? status(500);
      next(res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const slept: number[] = [];
const policy: CallPolicy = { timeoutMs: 300, retries: 2, backoffMs: 100, maxBackoffMs: 5_000, sleep: async (ms) => void slept.push(ms) };
const endpoint = () => ({ baseUrl, model: 'stub-model', apiKey: 'sk-test' });
const messages = [{ role: 'user' as const, content: 'Hello?' }];
const reset = (...replies: typeof script) => {
  script = replies;
  requests = [];
  hosts = [];
  slept.length = 0;
};

describe('chatCompletion against a stub endpoint', () => {
  it('sends the model, messages, sampling and key, and returns the reply', async () => {
    reset(ok('Hi there.'));
    await expect(chatCompletion(endpoint(), messages, { temperature: 0.7, topP: 0.9, maxTokens: 50, seed: 3 }, policy)).resolves.toBe('Hi there.');
    expect(requests[0]).toEqual({ auth: 'Bearer sk-test', body: { model: 'stub-model', messages, temperature: 0.7, top_p: 0.9, max_tokens: 50, seed: 3 } });
  });

  it('retries 429 and 500 with back-off, honouring Retry-After', async () => {
    reset(status(429, { 'Retry-After': '2' }), status(503), ok('Finally.'));
    await expect(chatCompletion(endpoint(), messages, {}, policy)).resolves.toBe('Finally.');
    expect(requests).toHaveLength(3);
    expect(slept[0]).toBe(2000);
    expect(slept[1]).toBeGreaterThanOrEqual(100);
  });

  it('gives up after the allowed retries and says why and how often it tried', async () => {
    reset(status(500), status(500), status(500), ok('too late'));
    const error = await chatCompletion(endpoint(), messages, {}, policy).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CallError);
    expect((error as CallError).message).toBe('HTTP 500: stub says 500 (after 3 attempts)');
    expect(requests).toHaveLength(3);
  });

  it('does not retry what a retry cannot fix (401)', async () => {
    reset(status(401), ok('never'));
    await expect(chatCompletion(endpoint(), messages, {}, policy)).rejects.toThrow('HTTP 401: stub says 401');
    expect(requests).toHaveLength(1);
  });

  it('does not retry a 5xx the server marks x-should-retry: false (a time-out that would recur)', async () => {
    reset(status(504, { 'x-should-retry': 'false' }), ok('never'));
    await expect(chatCompletion(endpoint(), messages, {}, policy)).rejects.toMatchObject({ message: 'HTTP 504: stub says 504', retryable: false });
    expect(requests).toHaveLength(1);
  });

  it('times out a slow answer, and retries a garbled one', async () => {
    reset(
      (res) => setTimeout(() => ok('slow')(res), 1000),
      (res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{"choices": [ oops');
      },
      ok('Recovered.'),
    );
    await expect(chatCompletion(endpoint(), messages, {}, policy)).resolves.toBe('Recovered.');
    reset(...Array.from({ length: 3 }, () => (res: http.ServerResponse) => res.writeHead(200).end('not json')));
    await expect(chatCompletion(endpoint(), messages, {}, policy)).rejects.toThrow(/not valid JSON.*after 3 attempts/);
  });

  it('retries an empty answer only when no seed was asked for: a seeded one would come back the same', async () => {
    reset(ok('  \n'), ok('Second try.'));
    await expect(chatCompletion(endpoint(), messages, {}, policy)).resolves.toBe('Second try.');
    reset(ok(''), ok('never'));
    const error = await chatCompletion(endpoint(), messages, { seed: 7 }, policy).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmptyAnswer);
    expect(requests).toHaveLength(1);
  });

  it('stops at once when the run is cancelled, without retrying', async () => {
    reset((res) => setTimeout(() => ok('late')(res), 200), ok('never'));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await expect(chatCompletion(endpoint(), messages, {}, { ...policy, timeoutMs: 1000, signal: controller.signal })).rejects.toThrow('cancelled');
    expect(requests).toHaveLength(1);
  });

  it('refuses to follow a redirect', async () => {
    reset((res) => {
      res.writeHead(302, { Location: 'http://169.254.169.254/latest/meta-data/' });
      res.end();
    });
    await expect(chatCompletion(endpoint(), messages, {}, policy)).rejects.toThrow(/redirect, which is never followed/);
    expect(requests).toHaveLength(1);
  });

  it('reads a compressed answer, and retries one that breaks off', async () => {
    reset(
      (res) => {
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '100' });
        res.write('{"choices": [');
        res.socket?.destroy();
      },
      (res) => {
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
        res.end(zlib.gzipSync(JSON.stringify({ choices: [{ message: { role: 'assistant', content: 'Squeezed.' } }] })));
      },
    );
    await expect(chatCompletion(endpoint(), messages, {}, policy)).resolves.toBe('Squeezed.');
    expect(requests).toHaveLength(2);
  });
});

describe('connections to a registered name (DNS rebinding)', () => {
  const port = () => new URL(baseUrl).port;
  const named = (host: string) => ({ ...endpoint(), baseUrl: `http://${host}:${port()}/v1` });

  it('refuse a name that resolves to a link-local address, say which, never retry and never connect', async () => {
    reset(ok('never'), ok('never'), ok('never'));
    for (const answer of [['169.254.169.254'], ['127.0.0.1', '169.254.169.254'], ['::ffff:a9fe:a9fe']]) {
      const error = await chatCompletion(named('rebind.test'), messages, {}, { ...policy, lookup: async () => answer }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CallError);
      expect((error as CallError).message).toMatch(/^refused to connect: rebind\.test resolves to (169\.254\.169\.254|::ffff:a9fe:a9fe), a link-local address/);
      expect((error as CallError).attempts).toBe(1);
    }
    expect(requests).toHaveLength(0);
  });

  it('resolve the name once and connect to the address that passed, whatever DNS answers next', async () => {
    reset(ok('Pinned.'));
    const asked: string[] = [];
    // A rebinding DNS server: a safe answer first, the metadata address from then on.
    const lookup: Lookup = async (host) => (asked.push(host) === 1 ? ['127.0.0.1'] : ['169.254.169.254']);
    await expect(chatCompletion(named('Rebind.TEST'), messages, {}, { ...policy, lookup })).resolves.toBe('Pinned.');
    expect(asked).toEqual(['rebind.test']);
    // Loopback stays allowed (Feedloop's own /v1 is registered as an endpoint), and the server is asked by name.
    expect(hosts).toEqual([`rebind.test:${port()}`]);
  });

  it('check the name again on every retry', async () => {
    reset(status(503), ok('never'));
    const lookup: Lookup = async () => (requests.length === 0 ? ['127.0.0.1'] : ['169.254.169.254']);
    await expect(chatCompletion(named('rebind.test'), messages, {}, { ...policy, lookup })).rejects.toThrow(/^refused to connect: .*169\.254\.169\.254.*\(after 2 attempts\)$/);
    expect(requests).toHaveLength(1);
  });

  it('give up on a resolver that never answers when the time is up', async () => {
    reset();
    const hanging: Lookup = () => new Promise(() => {});
    await expect(chatCompletion(named('slow-dns.test'), messages, {}, { ...policy, retries: 0, lookup: hanging })).rejects.toThrow('no answer within 300 ms');
  });
});

// A self-signed certificate for feedloop.test only (valid 2000–2099), made for this test.
const TEST_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgm38T+bOE4ce86+sp
n/N+aaDYe7SaIe/s7B/fPXWbla2hRANCAAR+1GdDdFm+7OsjhEMWlpBYFlx40Lvg
lf0obwCy6NNo1Hl7NU93IqRu3FOq0mg1+T5Bz9MEffnOQ6GJ2AT1dYkT
-----END PRIVATE KEY-----
`;
const TEST_CERT = `-----BEGIN CERTIFICATE-----
MIIBYTCCAQegAwIBAgIUCR+PRXIgf68i79etUo4y+yVyegcwCgYIKoZIzj0EAwIw
GDEWMBQGA1UEAwwNZmVlZGxvb3AudGVzdDAgFw0wMDAxMDEwMDAwMDBaGA8yMDk5
MTIzMTAwMDAwMFowGDEWMBQGA1UEAwwNZmVlZGxvb3AudGVzdDBZMBMGByqGSM49
AgEGCCqGSM49AwEHA0IABH7UZ0N0Wb7s6yOEQxaWkFgWXHjQu+CV/ShvALLo02jU
eXs1T3cipG7cU6rSaDX5PkHP0wR9+c5DoYnYBPV1iROjLTArMBgGA1UdEQQRMA+C
DWZlZWRsb29wLnRlc3QwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBF
AiA/3oJGDjISq1KtoB3qnUZSBSRh671muRv5l97GdkcvhQIhAL7yU8+msIOWqQ2d
eM68IfDxUc2hT0vPIgkdMtqefShH
-----END CERTIFICATE-----
`;

describe('HTTPS to a pinned address', () => {
  let tlsServer: https.Server;
  let tlsPort: number;
  const sni: (string | false | null)[] = [];
  beforeAll(async () => {
    tlsServer = https.createServer({ key: TEST_KEY, cert: TEST_CERT }, (req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ host: req.headers.host })));
    });
    tlsServer.on('secureConnection', (socket: TLSSocket) => sni.push(socket.servername));
    await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', resolve));
    tlsPort = (tlsServer.address() as AddressInfo).port;
  });
  afterAll(() => {
    tlsServer.closeAllConnections();
    tlsServer.close();
  });

  it('keeps the registered name for SNI, the Host header and the certificate check', async () => {
    const post = (host: string, ca?: string) =>
      pinnedPost(new URL(`https://${host}:${tlsPort}/v1/chat/completions`), { headers: {}, body: '{}', signal: AbortSignal.timeout(5000), lookup: async () => ['127.0.0.1'], ca });
    const answer = await post('feedloop.test', TEST_CERT);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ host: `feedloop.test:${tlsPort}` });
    expect(sni).toEqual(['feedloop.test']);
    // The certificate is checked against the URL's name, not the address connected to…
    await expect(post('other.test', TEST_CERT)).rejects.toThrow(/altnames/);
    // …and against the system's trusted authorities unless told otherwise.
    await expect(post('feedloop.test')).rejects.toThrow(/self[- ]signed/);
  });
});

describe('registered endpoint URLs', () => {
  it('refuse link-local and metadata addresses, also behind a DNS name, and allow loopback and private networks', async () => {
    expect(refusedAddress('169.254.169.254')).toMatch(/link-local/);
    expect(refusedAddress('::ffff:169.254.169.254')).toMatch(/link-local/);
    expect(refusedAddress('fe80::1')).toMatch(/link-local/);
    expect(refusedAddress('::ffff:a9fe:a9fe')).toMatch(/link-local/);
    expect(refusedAddress('0:0:0:0:0:ffff:a9fe:a9fe')).toMatch(/link-local/);
    await expect(checkEndpointUrl('http://[::ffff:a9fe:a9fe]/v1')).rejects.toThrow(/link-local/);
    await expect(checkEndpointUrl('http://[::ffff:169.254.169.254]/v1')).rejects.toThrow(/link-local/);
    await expect(checkEndpointUrl('http://0xA9FEA9FE/v1')).rejects.toThrow(/link-local/);
    await expect(checkEndpointUrl('http://2852039166/v1')).rejects.toThrow(/link-local/);
    expect(refusedAddress('::ffff:7f00:1')).toBeNull();
    expect(refusedAddress('127.0.0.1')).toBeNull();
    expect(refusedAddress('10.1.2.3')).toBeNull();
    await expect(checkEndpointUrl('http://metadata.google.internal/v1')).rejects.toThrow(/metadata service/);
    await expect(checkEndpointUrl('http://sneaky.example/v1', async () => ['10.0.0.2', '169.254.169.254'])).rejects.toThrow(/resolves to 169\.254\.169\.254/);
    await expect(checkEndpointUrl('ftp://x.example/')).rejects.toThrow(/http/);
    await expect(checkEndpointUrl('http://user:pw@x.example/', async () => ['10.0.0.2'])).rejects.toThrow(/user name or password/);
    await expect(checkEndpointUrl('http://127.0.0.1:3000/v1/')).resolves.toBe('http://127.0.0.1:3000/v1');
  });
});

describe('endpoint API keys at rest', () => {
  it('round-trip, differ on every encryption, and fail loudly with another secret or when tampered with', () => {
    const a = encryptSecret('sk-live-123', 'secret-one');
    expect(a).not.toContain('sk-live');
    expect(encryptSecret('sk-live-123', 'secret-one')).not.toBe(a);
    expect(decryptSecret(a, 'secret-one')).toBe('sk-live-123');
    expect(() => decryptSecret(a, 'secret-two')).toThrow(/AUTH_SECRET/);
    const parts = a.split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => decryptSecret(parts.join('.'), 'secret-one')).toThrow();
  });
});

describe('mapBounded', () => {
  it('never runs more than the limit at once and keeps the order of results', async () => {
    let running = 0;
    let peak = 0;
    const results = await mapBounded([5, 1, 4, 2, 3], 2, async (x) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, x * 3));
      running -= 1;
      return x * 10;
    });
    expect(results).toEqual([50, 10, 40, 20, 30]);
    expect(peak).toBe(2);
  });
});
