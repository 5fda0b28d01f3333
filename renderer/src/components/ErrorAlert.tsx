import { useTranslation } from 'react-i18next';
import type { ErrorPayload } from '../../../electron/contract/ipcContract';
import { showsAppMessage } from '../errorDetail';

interface Props {
  /** An error from the app: shown as its translated code text plus details. */
  error?: ErrorPayload | null;
  /** Replaces the app's message as the detail line (e.g. a localised range message). */
  detail?: string | null;
  /** A message produced here in the renderer (already translated). */
  message?: string | null;
}

/** The one place errors are announced (role="alert"); renders nothing when there is no error. */
export function ErrorAlert({ error, detail, message }: Props) {
  const { t } = useTranslation();
  if (!error && !message) return null;
  if (!error) {
    return (
      <div className="alert" role="alert">
        {message}
      </div>
    );
  }
  const extra = detail ?? (!showsAppMessage(error.code) || !error.message ? null : t('errors.details', { message: error.message }));
  return (
    <div className="alert" role="alert" data-error-code={error.code}>
      <span className="alert-title">{t(`errors.${error.code}`)}</span>
      {extra ? <span className="alert-detail">{extra}</span> : null}
    </div>
  );
}
