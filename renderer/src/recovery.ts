/**
 * Errors that no form can fix: the database or its key file cannot be opened, it was written by a
 * newer app, an upgrade failed, or a model file is not what was shipped. Any call answered with one
 * of these codes sends the app to the recovery screen (lanternClient fires RECOVERY_EVENT), which
 * says what happened and what to do; nothing is ever deleted to "fix" it.
 *
 * Kept here rather than read from the contract: the renderer may import the contract for types only.
 */
import type { ErrorCode, ErrorPayload } from '../../electron/contract/ipcContract';

export const recoveryCodes = ['DATABASE_CORRUPT', 'KEYRING_MISSING', 'DATABASE_TOO_NEW', 'MIGRATION_FAILED', 'MODEL_INTEGRITY'] as const;
export type RecoveryCode = (typeof recoveryCodes)[number];

export function isRecoveryCode(code: ErrorCode): code is RecoveryCode {
  return (recoveryCodes as readonly string[]).includes(code);
}

/** What the screen offers for each kind. */
export interface RecoveryPlan {
  /** Restore from a backup: shown at once, behind a button, or not at all. */
  restore: 'offered' | 'on-request' | 'no';
  /** The data is fine (a model file failed): a signed-in user may go on reading records. */
  canContinue: boolean;
}

export function recoveryPlan(code: RecoveryCode): RecoveryPlan {
  switch (code) {
    case 'DATABASE_CORRUPT':
    case 'KEYRING_MISSING':
    case 'MIGRATION_FAILED':
      return { restore: 'offered', canContinue: false };
    case 'DATABASE_TOO_NEW':
      // Updating the app is the fix; an older backup would lose what the newer app recorded.
      return { restore: 'on-request', canContinue: false };
    case 'MODEL_INTEGRITY':
      // The patient data is untouched, so restoring it would fix nothing.
      return { restore: 'no', canContinue: true };
  }
}

/**
 * Which model file failed, from the error's own pointers (the app sets `modelId`, and `file` when
 * one file is at fault), or null when it names no model (the screen then shows the message itself).
 */
export function failedModelFile(error: ErrorPayload): { modelId: string; file: string | null } | null {
  return error.modelId === undefined ? null : { modelId: error.modelId, file: error.file ?? null };
}
