import { useTranslation } from 'react-i18next';
import type { ErrorPayload } from '../../../electron/contract/ipcContract';
import { ErrorAlert } from './ErrorAlert';

/** Where a sign-in failed: the same code means different things in each. */
export type SignInContext = 'unlock' | 'unlock-login' | 'recover';

/**
 * Sign-in failures in words that fit the form: "wrong login or passphrase" when a login was
 * given, "account disabled" rather than the generic forbidden-window text, a recovery key that
 * does not fit. Anything else is shown as usual, with the app's message as the detail.
 */
export function SignInError({ error, context }: { error: ErrorPayload; context: SignInContext }) {
  const { t } = useTranslation();
  if (error.code === 'WRONG_PASSPHRASE') {
    if (context === 'unlock-login') return <ErrorAlert message={t('unlock.wrongLogin')} />;
    if (context === 'recover') return <ErrorAlert message={t('recover.wrongKey')} />;
  }
  if (error.code === 'FORBIDDEN') {
    // The app's own sentence names the account or the reason; the generic FORBIDDEN text is about windows.
    return <ErrorAlert message={context === 'recover' ? t('recover.notAllowed', { message: error.message }) : t('unlock.disabled')} />;
  }
  return <ErrorAlert error={error} />;
}
