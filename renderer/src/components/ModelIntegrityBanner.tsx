import { useTranslation } from 'react-i18next';
import type { ErrorPayload } from '../../../electron/contract/ipcContract';
import { failedModelFile } from '../recovery';
import '../styles/recovery.css';

/**
 * While a model file has failed its integrity check and the user went on without the models: a
 * banner on every screen, so nobody mistakes a missing suggestion for "the model found nothing".
 */
export function ModelIntegrityBanner({ error }: { error: ErrorPayload }) {
  const { t } = useTranslation();
  const model = failedModelFile(error);
  const which = model ? (model.file ? t('recovery.modelFile', { file: model.file, model: model.modelId }) : model.modelId) : t('recovery.unknownModelFile');
  return (
    <div className="model-banner" role="alert" data-model-integrity="failed">
      <strong>{t('modelBanner.title')}</strong> {t('modelBanner.body', { which })}
    </div>
  );
}
