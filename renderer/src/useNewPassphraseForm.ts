import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorPayload, Result } from '../../electron/contract/ipcContract';
import { newPassphraseProblem } from './components/NewPassphraseFields';

/**
 * What every form that sets a new passphrase keeps (setup, recovery, adding a user, resetting or
 * changing a passphrase): the passphrase typed twice, busy, a problem found before the round trip
 * and the app's error, so each form writes only its own fields and call.
 */
export function useNewPassphraseForm() {
  const { t } = useTranslation();
  const [passphrase, setPassphrase] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [localError, setLocalError] = useState<string | null>(null);
  const [error, setError] = useState<ErrorPayload | null>(null);
  return {
    passphrase,
    busy,
    localError,
    error,
    /** Spread into NewPassphraseFields. */
    fields: { passphrase, repeat, onPassphrase: setPassphrase, onRepeat: setRepeat },
    /** A problem with the form's own fields: shown, and the last app error cleared. */
    fail(message: string): void {
      setError(null);
      setLocalError(message);
    },
    /** Checks the new passphrase; false (with the problem shown) stops the submit, true marks the form busy. */
    begin(): boolean {
      setError(null);
      const problem = newPassphraseProblem(passphrase, repeat);
      setLocalError(problem ? t(problem) : null);
      if (problem) return false;
      setBusy(true);
      return true;
    },
    /** Ends a submit with the app's answer: its value, or null with its error shown. */
    finish<T>(result: Result<T>): T | null {
      setBusy(false);
      if (result.ok) return result.value;
      setError(result.error);
      return null;
    },
    clear(): void {
      setPassphrase('');
      setRepeat('');
    },
  };
}
