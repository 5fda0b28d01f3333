import { useId } from 'react';
import { useTranslation } from 'react-i18next';

/** Mirrors the contract's PassphraseSchema minimum, so the user hears about it before a round trip. */
export const MIN_PASSPHRASE = 8;

/** The translation key of what is wrong with a new passphrase and its repetition, or null. */
export function newPassphraseProblem(passphrase: string, repeat: string): 'passphrase.tooShort' | 'passphrase.mismatch' | null {
  if (passphrase.length < MIN_PASSPHRASE) return 'passphrase.tooShort';
  if (passphrase !== repeat) return 'passphrase.mismatch';
  return null;
}

interface Props {
  passphrase: string;
  repeat: string;
  onPassphrase: (value: string) => void;
  onRepeat: (value: string) => void;
  /** Visible labels: "Initial passphrase" when an admin sets one for someone else, else "New passphrase". */
  label: string;
  repeatLabel: string;
}

/** A new passphrase typed twice, with the length hint and a mismatch flag. */
export function NewPassphraseFields({ passphrase, repeat, onPassphrase, onRepeat, label, repeatLabel }: Props) {
  const { t } = useTranslation();
  const ids = useId();
  const mismatch = repeat.length > 0 && passphrase !== repeat;
  return (
    <>
      <div className="field">
        <label htmlFor={`${ids}-new`}>{label}</label>
        <input
          id={`${ids}-new`}
          type="password"
          autoComplete="new-password"
          value={passphrase}
          maxLength={1024}
          aria-describedby={`${ids}-hint`}
          onChange={(e) => onPassphrase(e.target.value)}
        />
        <p id={`${ids}-hint`} className="hint">
          {t('passphrase.hint')}
        </p>
      </div>
      <div className="field">
        <label htmlFor={`${ids}-repeat`}>{repeatLabel}</label>
        <input
          id={`${ids}-repeat`}
          type="password"
          autoComplete="new-password"
          value={repeat}
          maxLength={1024}
          aria-invalid={mismatch || undefined}
          onChange={(e) => onRepeat(e.target.value)}
        />
      </div>
    </>
  );
}
