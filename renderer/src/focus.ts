import { useEffect, useRef } from 'react';

/**
 * Moves focus to the returned element once it is mounted and `when` holds. Screens use it on
 * their heading, so keyboard and screen reader users start at the top of the new content.
 */
export function useFocusOnMount<T extends HTMLElement>(when = true) {
  const ref = useRef<T>(null);
  const done = useRef(false);
  useEffect(() => {
    if (!when || done.current || !ref.current) return;
    done.current = true;
    ref.current.focus();
  }, [when]);
  return ref;
}
