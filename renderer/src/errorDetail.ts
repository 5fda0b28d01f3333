/**
 * What the renderer does with each error code beyond its translated title. A switch over the
 * contract's closed union with a `never` check: a code added to the contract does not compile here
 * until someone decides how it reads. The renderer branches on codes, never on message text.
 */
import type { ErrorCode } from '../../electron/contract/ipcContract';

/** Whether the app's (English) message adds to the translated code text, or would only repeat it. */
export function showsAppMessage(code: ErrorCode): boolean {
  switch (code) {
    case 'WRONG_PASSPHRASE':
    case 'LOCKED':
    case 'NOT_INITIALISED':
    case 'ALREADY_INITIALISED':
      return false;
    case 'VALIDATION_FAILED':
    case 'VALUE_OUT_OF_RANGE':
    case 'KEYRING_MISSING':
    case 'DATABASE_CORRUPT':
    case 'DATABASE_TOO_NEW':
    case 'MIGRATION_FAILED':
    case 'MODEL_INTEGRITY':
    case 'NOT_FOUND':
    case 'UNKNOWN_METHOD':
    case 'FORBIDDEN':
    case 'STORAGE_FAILED':
    case 'IMAGE_UNREADABLE':
    case 'PATIENT_MISMATCH':
    case 'BACKUP_INVALID':
    case 'BACKUP_TRUNCATED':
    case 'BACKUP_CHECKSUM_MISMATCH':
    case 'BACKUP_WRONG_KEY':
    case 'BACKUP_CORRUPT':
    case 'BACKUP_CHAIN_BROKEN':
    case 'REMEMBER_UNAVAILABLE':
    case 'CONFIRMATION_REQUIRED':
    case 'DATABASE_IN_USE':
    case 'TOO_MANY_ATTEMPTS':
    case 'TIMED_OUT':
    case 'INTERNAL':
      return true;
    default: {
      const unhandled: never = code;
      return unhandled;
    }
  }
}
