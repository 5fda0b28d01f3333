/**
 * The client makes `api.<method>` for any contract method from the transport alone (no list of
 * its own): calls reach the bridge under their own name with the request unchanged, envelopes
 * come back unchanged, and LOCKED / recovery errors raise the app's events.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LanternApi, Result } from '../../../electron/contract/ipcContract';

const calls: { method: string; request: unknown }[] = [];
const answers = new Map<string, Result<unknown>>();
const bridge = new Proxy(
  {},
  {
    get:
      (_target, method: string) =>
      async (request: unknown): Promise<Result<unknown>> => {
        calls.push({ method, request });
        return answers.get(method) ?? { ok: true, value: { echoed: method } };
      },
  },
) as LanternApi;
const events: Event[] = [];
const emptyCase = { findings: {}, vitals: [], labs: [], note: '' };

let api: LanternApi;
beforeAll(async () => {
  vi.stubGlobal('window', { lantern: bridge, location: { hash: '', pathname: '/', search: '' }, dispatchEvent: (e: Event) => events.push(e) });
  ({ api } = await import('./lanternClient'));
});
afterEach(() => {
  calls.length = 0;
  events.length = 0;
  answers.clear();
});

describe('lanternClient', () => {
  it('sends each method to the bridge under its own name with the request unchanged', async () => {
    expect(await api.getCase({ caseId: 'c1' })).toEqual({ ok: true, value: { echoed: 'getCase' } });
    expect(await api.listUsers({})).toEqual({ ok: true, value: { echoed: 'listUsers' } });
    expect(calls).toEqual([
      { method: 'getCase', request: { caseId: 'c1' } },
      { method: 'listUsers', request: {} },
    ]);
  });

  it('gives the same function for a method every time, and is not a promise', () => {
    expect(api.runDiagnosis).toBe(api.runDiagnosis);
    expect((api as unknown as { then?: unknown }).then).toBeUndefined();
  });

  it('returns errors unchanged and raises the locked and recovery events', async () => {
    const locked = { ok: false as const, error: { code: 'LOCKED' as const, message: 'locked after inactivity' } };
    answers.set('getPatient', locked);
    expect(await api.getPatient({ patientId: 'p1' })).toEqual(locked);
    answers.set('runDiagnosis', { ok: false, error: { code: 'MODEL_INTEGRITY', message: 'tampered' } });
    await api.runDiagnosis(emptyCase);
    answers.set('saveCase', { ok: false, error: { code: 'VALIDATION_FAILED', message: 'bad', field: 'case' } });
    await api.saveCase({ patientId: 'p1', case: emptyCase });
    expect(events.map((e) => [e.type, (e as CustomEvent).detail.code])).toEqual([
      ['lantern:locked', 'LOCKED'],
      ['lantern:recovery', 'MODEL_INTEGRITY'],
    ]);
  });
});
