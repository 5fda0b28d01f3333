import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'node:http';
import { startLoopbackHost } from './loopbackHost';
import type { LoopbackHost } from './loopbackHost';
import { makeTempDir } from '../../db/testing/tmpStore';

let dir: string;
let cleanup: () => void;
let host: LoopbackHost;
const calls: { method: string; payload: unknown }[] = [];

beforeEach(async () => {
  ({ dir, cleanup } = makeTempDir());
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Lantern</title>');
  writeFileSync(join(dir, 'secret.txt'), 'inside');
  calls.length = 0;
  host = await startLoopbackHost({
    rendererDir: dir,
    call: async (method, payload) => {
      calls.push({ method, payload });
      return { ok: true, value: { echoed: method } };
    },
  });
});
afterEach(async () => {
  await host.close();
  cleanup();
});

/** Raw HTTP, so tests can send the headers a browser would never let a page forge. */
function send(
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const url = new URL(path, host.url);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

const api = (extra: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', 'x-lantern-token': host.token, origin: host.url, ...extra },
  body: '{}',
});

describe('loopback host', () => {
  it('answers malformed percent-encoding with 400 and no stack trace', async () => {
    for (const path of ['/%ZZ', '/assets/%E0%A4%A', '/api/%ZZ']) {
      const res = await send(path, path.startsWith('/api/') ? api() : {});
      expect(res.status, path).toBeLessThan(500);
      expect(res.body).not.toMatch(/\bat \S+ \(|URIError|node:internal/);
    }
    expect((await send('/%ZZ')).status).toBe(400);
  });

  it('listens on 127.0.0.1 with a fresh random token each launch', async () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(host.token).toMatch(/^[0-9a-f]{64}$/);
    const other = await startLoopbackHost({ rendererDir: dir, call: async () => ({ ok: true, value: null }) });
    expect(other.token).not.toBe(host.token);
    await other.close();
  });

  it('serves the renderer with a strict CSP and refuses paths outside it', async () => {
    const page = await send('/');
    expect(page.status).toBe(200);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect((await send('/../package.json')).status).toBe(404);
    expect((await send('/%2e%2e/%2e%2e/etc/passwd')).status).toBe(404);
  });

  it('passes an authorised call to the dispatcher', async () => {
    const res = await send('/api/sessionStatus', api());
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ ok: true, value: { echoed: 'sessionStatus' } });
    expect(calls).toEqual([{ method: 'sessionStatus', payload: {} }]);
  });

  it('refuses calls without the token, with a wrong token, or from another origin', async () => {
    const noToken = api();
    delete (noToken.headers as Record<string, string>)['x-lantern-token'];
    expect((await send('/api/sessionStatus', noToken)).status).toBe(401);
    expect((await send('/api/sessionStatus', api({ 'x-lantern-token': 'f'.repeat(64) }))).status).toBe(401);
    expect((await send('/api/sessionStatus', api({ origin: 'http://evil.example' }))).status).toBe(403);
    expect((await send('/api/sessionStatus', api({ 'sec-fetch-site': 'cross-site' }))).status).toBe(403);
    expect((await send('/api/sessionStatus', api({ host: `localhost:${new URL(host.url).port}` }))).status).toBe(421);
    expect(calls).toEqual([]);
  });

  it('accepts only JSON bodies and reports malformed JSON as a validation error', async () => {
    expect((await send('/api/sessionStatus', api({ 'content-type': 'text/plain' }))).status).toBe(415);
    const bad = await send('/api/sessionStatus', { ...api(), body: '{not json' });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error.code).toBe('VALIDATION_FAILED');
  });
});
