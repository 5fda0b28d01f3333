import { useTranslation } from 'react-i18next';
import { useLoadedCatalogue } from '../catalogue';

/**
 * Models trained on data whose licence does not allow clinical use (none stated, research only) make
 * this an evaluation build: said on every screen, with the models named, so nobody takes it for a
 * cleared clinical tool.
 */
export function EvaluationBuildBanner() {
  const { t } = useTranslation();
  const catalogue = useLoadedCatalogue();
  const evaluationOnly = (catalogue?.models ?? []).filter((m) => m.trainingData && !m.trainingData.clinicalUse);
  if (evaluationOnly.length === 0) return null;
  return (
    <div className="evaluation-banner" role="note" data-evaluation-build="true">
      <strong>{t('evaluationBuild.title')}</strong> {t('evaluationBuild.body', { models: evaluationOnly.map((m) => m.id).join(t('common.listSeparator')) })}
    </div>
  );
}
