import { useId } from 'react';

/** Mirrors the contract's login length, so the field stops where the app would refuse. */
const LOGIN_MAX = 40;

interface Props {
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** 'username' where the browser may offer the user's own saved login; 'off' where an admin types someone else's. */
  autoComplete: 'username' | 'off';
  hint?: string;
  invalid?: boolean;
  autoFocus?: boolean;
}

/** A login typed as it is stored: no capitalisation or spelling help, with an optional hint under it. */
export function LoginField({ label, value, onChange, autoComplete, hint, invalid, autoFocus }: Props) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        autoComplete={autoComplete}
        autoCapitalize="none"
        spellCheck={false}
        autoFocus={autoFocus}
        value={value}
        maxLength={LOGIN_MAX}
        aria-invalid={invalid || undefined}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      {hint ? (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      ) : null}
    </div>
  );
}
