import { useEffect, useId, useRef, type ReactNode } from 'react';

interface Props {
  title: string;
  onClose: () => void;
  children: ReactNode;
}

/**
 * A modal dialog on the native `<dialog>` element: the browser traps focus, makes the rest of the
 * page inert and answers Escape, so we need no focus-trap code of our own. Mounted = open.
 */
export function Dialog({ title, onClose, children }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const ids = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className="modal"
      aria-labelledby={`${ids}-title`}
      onCancel={(e) => {
        // Escape: let React unmount us rather than the browser closing a dialog React still renders.
        e.preventDefault();
        onClose();
      }}
    >
      <h2 id={`${ids}-title`}>{title}</h2>
      {children}
    </dialog>
  );
}
