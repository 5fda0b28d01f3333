/**
 * Which recovery screen the app shows, fed by RECOVERY_EVENT (any call answered with a recovery
 * code). A failed model file may be set aside by a signed-in user: the records stay readable, a
 * banner stays up, and further model failures do not bring the full screen back until "Try again".
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ErrorPayload } from '../../electron/contract/ipcContract';
import { RECOVERY_EVENT } from './api/lanternClient';
import type { RecoveryEvent } from './api/lanternClient';
import { isRecoveryCode } from './recovery';
import type { RecoveryCode } from './recovery';

export type RecoveryError = ErrorPayload & { code: RecoveryCode };

export interface RecoveryState {
  /** The error the recovery screen is showing, or null. */
  shown: RecoveryError | null;
  /** A model failure the user chose to work around: shown as a banner. */
  modelProblem: RecoveryError | null;
  continueWithoutModels: () => void;
  /** "Try again" or a finished restore: back to the normal screens; a repeat failure shows it again. */
  clear: () => void;
}

export function useRecoveryState(): RecoveryState {
  const [shown, setShown] = useState<RecoveryError | null>(null);
  const [modelProblem, setModelProblem] = useState<RecoveryError | null>(null);
  const setAside = useRef(false);

  useEffect(() => {
    const onRecovery = (e: Event) => {
      const error = (e as RecoveryEvent).detail;
      if (!isRecoveryCode(error.code)) return;
      const recovery = error as RecoveryError;
      if (recovery.code === 'MODEL_INTEGRITY') {
        if (setAside.current) return setModelProblem(recovery);
        // Unusable data matters more than a model file: never hide a database problem behind it.
        return setShown((prev) => (prev && prev.code !== 'MODEL_INTEGRITY' ? prev : recovery));
      }
      setShown(recovery);
    };
    window.addEventListener(RECOVERY_EVENT, onRecovery);
    return () => window.removeEventListener(RECOVERY_EVENT, onRecovery);
  }, []);

  const continueWithoutModels = useCallback(() => {
    if (shown?.code !== 'MODEL_INTEGRITY') return;
    setAside.current = true;
    setModelProblem(shown);
    setShown(null);
  }, [shown]);

  const clear = useCallback(() => {
    setAside.current = false;
    setModelProblem(null);
    setShown(null);
  }, []);

  return { shown, modelProblem, continueWithoutModels, clear };
}
