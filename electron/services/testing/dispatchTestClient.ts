/**
 * Test support: call the app through its dispatcher exactly as IPC and the loopback host do, and
 * unwrap the envelope: `ok` returns the value or throws with the error code; `fails` asserts the
 * call failed and returns the error payload.
 */
import { expect } from 'vitest';
import type { ErrorPayload, Result } from '../../contract/ipcContract';
import type { AppServices } from '../appServices';

export function dispatchTestClient(app: () => AppServices) {
  return {
    async ok<T>(method: string, payload: unknown = {}): Promise<T> {
      const r = (await app().call(method, payload)) as Result<T>;
      if (!r.ok) throw new Error(`${method} failed: ${r.error.code} ${r.error.message}`);
      return r.value;
    },
    async fails(method: string, payload: unknown = {}): Promise<ErrorPayload> {
      const r = await app().call(method, payload);
      expect(r.ok).toBe(false);
      return (r as { ok: false; error: ErrorPayload }).error;
    },
  };
}
