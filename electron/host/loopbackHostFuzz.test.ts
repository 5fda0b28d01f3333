/**
 * Bad requests over HTTP against the loopback host in front of the real services (the headers,
 * token and origin checks are in loopbackHost.test.ts): odd paths, bodies that are not objects,
 * invalid UTF-8, prototype keys, huge and over-limit bodies. Every answer is a contract envelope
 * with a specific code, and the host keeps serving.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'node:http';
import { startLoopbackHost, maxBodyBytes } from './loopbackHost';
import type { LoopbackHost } from './loopbackHost';
import type { Patient, Result } from '../contract/ipcContract';
import { appPerTest } from '../app/testing/dispatchTestClient';

const t = appPerTest(() => ({ scheduleBackups: false }));
let host: LoopbackHost;

beforeEach(async () => {
  writeFileSync(join(t.dir, 'index.html'), '<!doctype html><title>Lantern</title>');
  host = await startLoopbackHost({ rendererDir: t.dir, call: t.app.call });
  await post('/api/setup', JSON.stringify({ displayName: 'Dr Osei', passphrase: 'correct horse' }));
});
afterEach(async () => {
  await host.close();
});

/** An authorised POST; `body` may be a string, bytes, or a number of 1 MiB chunks streamed with backpressure. */
function post(path: string, body: string | Buffer | { chunks: number }): Promise<{ status: number; envelope: Result<unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, host.url),
      { method: 'POST', headers: { 'content-type': 'application/json', 'x-lantern-token': host.token, origin: host.url } },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, envelope: JSON.parse(text) as Result<unknown> }));
      },
    );
    req.on('error', reject);
    if (typeof body === 'object' && 'chunks' in body) {
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      let left = body.chunks;
      const pump = (): void => {
        while (left > 0) {
          left--;
          if (!req.write(chunk)) {
            req.once('drain', pump);
            return;
          }
        }
        req.end();
      };
      pump();
    } else {
      req.end(body);
    }
  });
}

const codeOf = (r: { envelope: Result<unknown> }) => (r.envelope.ok ? 'OK' : r.envelope.error.code);

async function expectStillServing(): Promise<void> {
  const created = await post('/api/createPatient', JSON.stringify({ name: 'Ana Lima', birthDate: '1990-01-01', sex: 'female' }));
  expect(created).toMatchObject({ status: 200, envelope: { ok: true } });
  expect((await post('/api/sessionStatus', '{}')).envelope).toMatchObject({ ok: true, value: { state: 'unlocked' } });
}

describe('loopback host with the real services: bad requests', () => {
  it('answers unknown or malformed method paths with UNKNOWN_METHOD, never a 500', async () => {
    const paths = [
      '/api/dropTables',
      '/api/__proto__',
      '/api/constructor',
      '/api/toString',
      '/api/',
      '/api/%00',
      '/api/%',
      '/api/%E0%A4%A',
      '/api/%E2%80%AEesaCevas',
      '/api/..%2F..%2Fetc%2Fpasswd',
      '/api/saveCase/extra',
      '/api//sessionStatus',
      `/api/${'a'.repeat(8000)}`,
    ];
    for (const path of paths) {
      const r = await post(path, '{}');
      expect([path.slice(0, 40), r.status, codeOf(r)]).toEqual([path.slice(0, 40), 200, 'UNKNOWN_METHOD']);
    }
    await expectStillServing();
  });

  it('refuses bodies that are not a JSON object of the right shape, or not UTF-8', async () => {
    for (const body of ['[]', '42', '"text"', 'null', 'true', '{"name": ["nested"]}', `{"name": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`]) {
      const r = await post('/api/createPatient', body);
      expect([body.slice(0, 20), r.status, codeOf(r)]).toEqual([body.slice(0, 20), 200, 'VALIDATION_FAILED']);
    }
    const notUtf8 = Buffer.concat([Buffer.from('{"name":"A'), Buffer.from([0xff, 0xfe]), Buffer.from('","birthDate":"1980-01-01","sex":"female"}')]);
    expect(await post('/api/createPatient', notUtf8)).toMatchObject({
      status: 400,
      envelope: { ok: false, error: { code: 'VALIDATION_FAILED', message: expect.stringMatching(/UTF-8/) } },
    });
    expect(await post('/api/createPatient', '{"name": "unterminated')).toMatchObject({
      status: 400,
      envelope: { ok: false, error: { code: 'VALIDATION_FAILED' } },
    });
    expect((await post('/api/searchPatients', '{"query": ""}')).envelope).toEqual({ ok: true, value: [] });
    await expectStillServing();
  });

  it('refuses prototype keys without polluting anything', async () => {
    for (const body of [
      '{"__proto__": {"polluted": true}}',
      '{"name": "A", "birthDate": "1980-01-01", "sex": "female", "constructor": {"prototype": {"polluted": true}}}',
    ]) {
      const r = await post('/api/createPatient', body);
      expect(codeOf(r)).toBe('VALIDATION_FAILED');
    }
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect((await post('/api/searchPatients', '{"query": ""}')).envelope).toEqual({ ok: true, value: [] });
  });

  it('answers a 10 MB note by its field, and a body over the limit with 413, then keeps serving', async () => {
    const created = (await post('/api/createPatient', JSON.stringify({ name: 'مريم الحسن', birthDate: '1980-01-01', sex: 'female' }))).envelope as {
      ok: true;
      value: Patient;
    };
    const note = 'x'.repeat(10 * 1024 * 1024);
    const big = await post('/api/saveCase', JSON.stringify({ patientId: created.value.id, case: { findings: {}, vitals: [], labs: [], note } }));
    expect(big).toMatchObject({ status: 200, envelope: { ok: false, error: { code: 'VALIDATION_FAILED', field: 'case.note' } } });

    // The host stops reading at the limit and answers 413; a client still sending at that moment may
    // see the connection reset instead (ordinary HTTP). Either way nothing is buffered beyond the limit.
    const tooBig = await post('/api/saveCase', { chunks: Math.ceil(maxBodyBytes / (1024 * 1024)) + 1 }).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ECONNRESET' && err.code !== 'EPIPE') throw err;
      return { status: 413, envelope: { ok: false, error: { code: 'VALIDATION_FAILED', message: 'connection reset' } } };
    });
    expect(tooBig).toMatchObject({ status: 413, envelope: { ok: false, error: { code: 'VALIDATION_FAILED' } } });
    expect((await post('/api/searchPatients', JSON.stringify({ query: 'الحسن' }))).envelope).toMatchObject({ ok: true, value: [{ name: 'مريم الحسن' }] });
    await expectStillServing();
  });
});
