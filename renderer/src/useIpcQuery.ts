import { useCallback, useEffect, useState } from 'react';
import type { Result } from '../../electron/contract/ipcContract';
import { initialQueryState, reloading, startQuery, type QueryState } from './ipcQuery';

/**
 * The renderer's one data-fetching effect: runs `query` on mount and whenever it changes (wrap it in
 * useCallback with its inputs), drops answers that arrive after the component moved on, and offers
 * `reload` for after a change.
 */
export function useIpcQuery<T>(query: () => Promise<Result<T>>): QueryState<T> & { reload: () => void } {
  const [state, setState] = useState<QueryState<T>>(initialQueryState);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    setState(reloading);
    return startQuery(query, setState);
  }, [query, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { ...state, reload };
}
