/**
 * The loopback host: serves the built renderer and the same method handlers Electron's IPC uses,
 * on 127.0.0.1 only, at a random port, with a per-launch secret token on every API call. It lets a
 * browser (Playwright's Chromium, or a clinician where Electron is unavailable) run the real UI.
 *
 * Defences, each for a named attack: Host check (DNS rebinding), Origin/Sec-Fetch-Site check and
 * JSON-only bodies (other sites posting to us), token (other local processes and pages), strict CSP
 * and no-referrer on every response (the token never leaves in a Referer; no injected script runs).
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { tokenHeader } from '../contract/ipcContract';
import type { ErrorPayload, Result } from '../contract/ipcContract';

export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Bodies are bounded: a 64 MiB image (base64) must fit, a runaway upload must not exhaust memory. */
export const maxBodyBytes = 96 * 1024 * 1024;

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.otf': 'font/otf',
};

export type CallHandler = (method: string, payload: unknown) => Promise<Result<unknown>>;

export interface LoopbackHostOptions {
  call: CallHandler;
  rendererDir: string;
  port?: number;
  /** Fixed token for tests of the host itself; a launch always makes a fresh random one. */
  token?: string;
}

export interface LoopbackHost {
  url: string;
  /** The URL a browser opens: the token travels in the fragment, which is never sent to a server. */
  launchUrl: string;
  token: string;
  close(): Promise<void>;
}

function securityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', contentSecurityPolicy);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), bluetooth=()');
}

function sendJson(res: ServerResponse, status: number, body: Result<unknown>): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function refuse(res: ServerResponse, status: number, error: ErrorPayload): void {
  sendJson(res, status, { ok: false, error });
}

function tokensEqual(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** `/api/<method>`; malformed percent-encoding stays as typed, so it is an unknown method, not a crash. */
function methodFromPath(pathname: string): string {
  const raw = pathname.slice('/api/'.length);
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function startLoopbackHost(options: LoopbackHostOptions): Promise<LoopbackHost> {
  const token = options.token ?? randomBytes(32).toString('hex');
  let origin = '';
  let hostHeader = '';

  async function serveStatic(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      // Malformed percent-encoding (`/%ZZ`): the client's mistake, answered as such, never with a trace.
      refuse(res, 400, { code: 'VALIDATION_FAILED', message: 'The path is not valid percent-encoding.' });
      return;
    }
    const relative = pathname === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
    const file = normalize(join(options.rendererDir, relative));
    if (!file.startsWith(normalize(options.rendererDir) + sep)) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'Content-Type': contentTypes[extname(file)] ?? 'application/octet-stream' });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404).end();
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    securityHeaders(res);
    if (req.headers.host !== hostHeader) {
      refuse(res, 421, { code: 'FORBIDDEN', message: 'Wrong Host header.' });
      return;
    }
    const url = new URL(req.url ?? '/', origin);
    if (!url.pathname.startsWith('/api/')) {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405).end();
        return;
      }
      await serveStatic(req, res, url.pathname);
      return;
    }
    const fetchSite = req.headers['sec-fetch-site'];
    if ((req.headers.origin !== undefined && req.headers.origin !== origin) || (fetchSite !== undefined && fetchSite !== 'same-origin')) {
      refuse(res, 403, { code: 'FORBIDDEN', message: 'Requests from other origins are refused.' });
      return;
    }
    if (!tokensEqual(req.headers[tokenHeader] as string | undefined, token)) {
      refuse(res, 401, { code: 'FORBIDDEN', message: 'Missing or wrong session token.' });
      return;
    }
    if (req.method !== 'POST' || !(req.headers['content-type'] ?? '').startsWith('application/json')) {
      refuse(res, 415, { code: 'VALIDATION_FAILED', message: 'API calls are POST with a JSON body.' });
      return;
    }
    const body = await readBody(req);
    if (body === null) {
      // The rest of the upload is not read, so this connection cannot carry another request.
      res.setHeader('Connection', 'close');
      refuse(res, 413, { code: 'VALIDATION_FAILED', message: `Request larger than ${maxBodyBytes} bytes.` });
      return;
    }
    let payload: unknown;
    try {
      // Fatal decoding: invalid UTF-8 must be refused, not turned into U+FFFD inside a patient's name.
      payload = body.length === 0 ? {} : JSON.parse(strictUtf8.decode(body));
    } catch {
      refuse(res, 400, { code: 'VALIDATION_FAILED', message: 'The request body is not valid UTF-8 JSON.' });
      return;
    }
    const result = await options.call(methodFromPath(url.pathname), payload);
    sendJson(res, 200, result);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      console.error('[lantern] host request failed:', err);
      if (!res.headersSent) refuse(res, 500, { code: 'INTERNAL', message: 'The request failed.' });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  hostHeader = `127.0.0.1:${port}`;
  origin = `http://${hostHeader}`;
  return {
    url: origin,
    launchUrl: `${origin}/#token=${token}`,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
