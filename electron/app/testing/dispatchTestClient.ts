/**
 * Test support: call the app through its dispatcher exactly as IPC and the loopback host do, and
 * unwrap the envelope: `ok` returns the value or throws with the error code; `fails` asserts the
 * call failed and returns the error payload.
 */
import { expect } from 'vitest';
import type { ErrorPayload, Result } from '../../contract/ipcContract';
import type { AppServices } from '../appServices';

/** No payload argument means `{}`; an explicit `undefined` is sent as such (bad-input tests send it). */
const requestOf = (args: [unknown?]): unknown => (args.length === 0 ? {} : args[0]);

export function dispatchTestClient(app: () => AppServices) {
  return {
    async ok<T>(method: string, ...payload: [unknown?]): Promise<T> {
      const r = (await app().call(method, requestOf(payload))) as Result<T>;
      if (!r.ok) throw new Error(`${method} failed: ${r.error.code} ${r.error.message}`);
      return r.value;
    },
    /** `method` is unknown: tests also send names that are not methods at all. */
    async fails(method: unknown, ...payload: [unknown?]): Promise<ErrorPayload> {
      const r = await app().call(method, requestOf(payload));
      expect(r.ok, `${String(method)} should have failed`).toBe(false);
      return (r as { ok: false; error: ErrorPayload }).error;
    },
  };
}
