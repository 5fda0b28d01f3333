import type { TFunction } from 'i18next';
import type { ErrorPayload, KeyRotationStatus, Result } from '../../electron/contract/ipcContract';

/** How often the Users screen asks for the rotation's progress while it runs. */
export const keyRotationPollMs = 300;

/**
 * What the admin reads while the key rotation after a Disable runs and once it ends; null when
 * there is nothing to say (no rotation since the app started).
 */
export function keyRotationText(t: TFunction, status: KeyRotationStatus, login: string): string | null {
  switch (status.state) {
    case 'idle':
      return null;
    case 'running':
      return t('users.rotation.running', { login, step: status.step, steps: status.steps, stage: t(`users.rotation.stage.${status.stage}`) });
    case 'done':
      return status.droppedLogins.length === 0
        ? t('users.rotation.done', { login })
        : t('users.rotation.doneDropped', { login, logins: status.droppedLogins.join(', ') });
    case 'failed':
      return t('users.rotation.failed', { message: status.message });
  }
}

/**
 * After one status answer: poll again (still running, or refused as DATABASE_IN_USE, which is the
 * rotation itself and no error of the admin's), stop with the final status, or stop with an error.
 */
export function nextKeyRotationStep(
  result: Result<KeyRotationStatus>,
): { kind: 'poll'; status: KeyRotationStatus | null } | { kind: 'settled'; status: KeyRotationStatus } | { kind: 'error'; error: ErrorPayload } {
  if (!result.ok) return result.error.code === 'DATABASE_IN_USE' ? { kind: 'poll', status: null } : { kind: 'error', error: result.error };
  return result.value.state === 'running' ? { kind: 'poll', status: result.value } : { kind: 'settled', status: result.value };
}
