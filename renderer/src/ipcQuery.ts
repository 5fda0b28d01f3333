/**
 * One read from the app, as state: loading, its value, or its error. Kept apart from the React hook
 * (useIpcQuery.ts) so the rules (a late answer after cancel is dropped; a failed reload keeps no
 * stale value) are tested without a DOM.
 */
import type { ErrorPayload, Result } from '../../electron/contract/ipcContract';

export interface QueryState<T> {
  loading: boolean;
  value: T | null;
  error: ErrorPayload | null;
}

export function initialQueryState<T>(): QueryState<T> {
  return { loading: true, value: null, error: null };
}

/** Loading again keeps the value on screen until the answer replaces it (no flash of empty). */
export function reloading<T>(prev: QueryState<T>): QueryState<T> {
  return { ...prev, loading: true, error: null };
}

/** The state after an answer: its value, or its error and no value (an old value would mislead). */
export function settled<T>(result: Result<T>): QueryState<T> {
  return result.ok ? { loading: false, value: result.value, error: null } : { loading: false, value: null, error: result.error };
}

/**
 * The app's answer to a change, put in place of the shown value without reading again (the change
 * already returned the new record). With no value shown there is nothing to change.
 */
export function updated<T>(prev: QueryState<T>, change: (value: T) => T): QueryState<T> {
  return prev.value === null ? prev : { ...prev, value: change(prev.value) };
}

/**
 * Starts `query`; calls `onSettled` with its answer unless cancelled first. Returns the cancel
 * function (an effect's cleanup), so a screen left or a filter changed never receives an old answer.
 */
export function startQuery<T>(query: () => Promise<Result<T>>, onSettled: (state: QueryState<T>) => void): () => void {
  let live = true;
  void query().then((result) => {
    if (live) onSettled(settled(result));
  });
  return () => {
    live = false;
  };
}
