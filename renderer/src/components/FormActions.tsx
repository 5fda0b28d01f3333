/**
 * The buttons under a form: submit, an optional second action (cancel, clear), and the status line
 * that announces work in progress. One component instead of the same markup in every form, so the
 * busy rule (no second submit while one runs) and the live region are the same everywhere.
 */
interface Props {
  submitLabel: string;
  /** Work is running: the submit is disabled (and the second action, unless it is a way out). */
  busy?: boolean;
  /** Nothing to act on yet (a list still loading): both disabled like busy, with nothing announced. */
  blocked?: boolean;
  /**
   * A second button beside the submit; `whileBusy` keeps it usable during work (a Cancel); `first`
   * puts it before the submit (a step taken before it, such as Verify before Restore).
   */
  secondary?: { label: string; onClick: () => void; whileBusy?: boolean; first?: boolean };
  /** Text for the status line (role="status"); omitted, there is no status line. */
  status?: string | null;
  small?: boolean;
}

export function FormActions({ submitLabel, busy = false, blocked = false, secondary, status, small = false }: Props) {
  const size = small ? ' small' : '';
  const second = secondary ? (
    <button type="button" className={`secondary${size}`} onClick={secondary.onClick} disabled={(busy || blocked) && !secondary.whileBusy}>
      {secondary.label}
    </button>
  ) : null;
  return (
    <div className="actions">
      {secondary?.first ? second : null}
      <button type="submit" className={`primary${size}`} disabled={busy || blocked}>
        {submitLabel}
      </button>
      {secondary?.first ? null : second}
      {status !== undefined ? (
        <span className="busy" role="status">
          {status}
        </span>
      ) : null}
    </div>
  );
}
