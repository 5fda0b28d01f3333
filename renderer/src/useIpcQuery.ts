import { useCallback, useEffect, useState } from 'react';
import type { Result } from '../../electron/contract/ipcContract';
import { initialQueryState, reloading, startQuery, updated, type QueryState } from './ipcQuery';

/**
 * The renderer's one data-fetching effect: runs `query` on mount and whenever it changes (wrap it in
 * useCallback with its inputs), drops answers that arrive after the component moved on, and offers
 * `reload` for after a change, or `update` when the change itself answered with the new value.
 */
export function useIpcQuery<T>(query: () => Promise<Result<T>>): QueryState<T> & { reload: () => void; update: (change: (value: T) => T) => void } {
  const [generation, setGeneration] = useState(0);
  const [state, setState] = useState(() => ({ query, generation, result: initialQueryState<T>() }));
  // A new query or a reload: loading again, set during render (React's pattern for state that
  // follows its inputs) so no frame shows the old answer as current.
  if (state.query !== query || state.generation !== generation) setState({ query, generation, result: reloading(state.result) });
  useEffect(
    () => startQuery(query, (result) => setState((prev) => (prev.query === query && prev.generation === generation ? { ...prev, result } : prev))),
    [query, generation],
  );
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const update = useCallback((change: (value: T) => T) => setState((prev) => ({ ...prev, result: updated(prev.result, change) })), []);
  return { ...state.result, reload, update };
}
