import { describe, expect, it } from 'vitest';
import type { Result } from '../../electron/contract/ipcContract';
import { initialQueryState, reloading, settled, startQuery, updated, type QueryState } from './ipcQuery';

function deferred<T>() {
  let resolve!: (v: Result<T>) => void;
  const promise = new Promise<Result<T>>((r) => (resolve = r));
  return { promise, resolve };
}

describe('ipcQuery', () => {
  it('settles to the value, or to the error with no value', () => {
    expect(initialQueryState()).toEqual({ loading: true, value: null, error: null });
    expect(settled({ ok: true, value: 3 })).toEqual({ loading: false, value: 3, error: null });
    const error = { code: 'NOT_FOUND' as const, message: 'No case with id c1.' };
    expect(settled({ ok: false, error })).toEqual({ loading: false, value: null, error });
  });

  it('keeps the shown value while reloading and clears an old error', () => {
    const prev: QueryState<number> = { loading: false, value: 1, error: null };
    expect(reloading(prev)).toEqual({ loading: true, value: 1, error: null });
    expect(reloading<number>({ loading: false, value: null, error: { code: 'LOCKED', message: 'x' } })).toEqual({ loading: true, value: null, error: null });
  });

  it('puts a change answered by the app in place of the shown value, and changes nothing while none is shown', () => {
    const shown: QueryState<{ n: number }> = { loading: false, value: { n: 1 }, error: null };
    expect(updated(shown, (v) => ({ n: v.n + 1 }))).toEqual({ loading: false, value: { n: 2 }, error: null });
    const failed: QueryState<{ n: number }> = { loading: false, value: null, error: { code: 'NOT_FOUND', message: 'x' } };
    expect(updated(failed, (v) => ({ n: v.n + 1 }))).toBe(failed);
  });

  it('delivers the answer of a live query', async () => {
    const d = deferred<string>();
    const seen: QueryState<string>[] = [];
    startQuery(
      () => d.promise,
      (s) => seen.push(s),
    );
    d.resolve({ ok: true, value: 'a' });
    await d.promise;
    await Promise.resolve();
    expect(seen).toEqual([{ loading: false, value: 'a', error: null }]);
  });

  it('drops the answer of a query cancelled before it came (screen left, filter changed)', async () => {
    const older = deferred<string>();
    const newer = deferred<string>();
    const seen: (string | null)[] = [];
    const cancelOlder = startQuery(
      () => older.promise,
      (s) => seen.push(s.value),
    );
    cancelOlder();
    startQuery(
      () => newer.promise,
      (s) => seen.push(s.value),
    );
    newer.resolve({ ok: true, value: 'new' });
    older.resolve({ ok: true, value: 'old' });
    await Promise.all([older.promise, newer.promise]);
    await Promise.resolve();
    expect(seen).toEqual(['new']);
  });
});
