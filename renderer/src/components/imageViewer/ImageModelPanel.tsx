import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorPayload, ImageModelAbstention, ImageModelResult, ImageSummary, RequestOf } from '../../../../electron/contract/ipcContract';
import { useLocaleFormat } from '../../i18n/useLocaleFormat';
import { canEditClinical, useSessionUser } from '../../roles';
import { ErrorAlert } from '../ErrorAlert';
import { ImageModelDecision } from './ImageModelDecision';

export type ImageModelId = RequestOf<'runImageModel'>['modelId'];

/** `satisfies` keeps this in step with the contract's image models. */
const labelKeys = {
  'pneumonia-xray': 'viewer.runPneumonia',
  'retina-vessels': 'viewer.runVessels',
} as const satisfies Record<ImageModelId, string>;
const populationKeys = {
  'pneumonia-xray': 'viewer.population.pneumonia',
  'retina-vessels': 'viewer.population.vessels',
} as const satisfies Record<ImageModelId, string>;
const imageModels = Object.entries(labelKeys).map(([id, labelKey]) => ({ id: id as ImageModelId, labelKey }));

interface Props {
  image: ImageSummary;
  running: ImageModelId | null;
  result: ImageModelResult | null;
  /** The model declined the image (out of scope or distribution). */
  abstention?: ImageModelAbstention | null;
  error: ErrorPayload | null;
  onRun: (id: ImageModelId) => void;
}

/** The image models' buttons and their result, with the provenance needed to audit it. */
export function ImageModelPanel({ image, running, result, abstention = null, error, onRun }: Props) {
  const { t } = useTranslation();
  const fmt = useLocaleFormat();
  const ids = useId();
  // Running a model stores a suggestion: clinical roles only (auditors re-run from the audit workspace).
  const canRun = canEditClinical(useSessionUser()?.role);
  const probabilities = result?.probabilities ? Object.entries(result.probabilities).sort((a, b) => b[1] - a[1]) : [];
  return (
    <section className="image-models" aria-labelledby={`${ids}-h`}>
      <h3 id={`${ids}-h`}>{t('viewer.modelsHeading')}</h3>
      <div className="actions" aria-busy={running !== null} hidden={!canRun}>
        {imageModels.map((m) => (
          <button key={m.id} type="button" className="secondary" disabled={running !== null} onClick={() => onRun(m.id)}>
            {t(m.labelKey)}
          </button>
        ))}
        <span className="busy" role="status">
          {running ? t('viewer.modelRunning') : null}
        </span>
      </div>
      <ErrorAlert error={error} />
      {abstention ? (
        <div className="image-model-abstention" role="status" data-model={abstention.modelId} data-code={abstention.abstained.code}>
          <p>
            <strong>{t('viewer.notAnalysable', { reason: abstention.abstained.message })}</strong>
          </p>
          <p className="muted">{t('viewer.notAnalysableNote')}</p>
        </div>
      ) : null}
      {result ? (
        <div className="image-model-result" data-model={result.modelId}>
          {probabilities.length > 0 ? (
            <ul className="image-probabilities" aria-label={t('viewer.probabilities')}>
              {probabilities.map(([label, p]) => (
                <li key={label}>
                  <div className="ranked-head">
                    <span className="diagnosis">{label}</span>
                    <span className="probability">{fmt.probability(p)}</span>
                  </div>
                  <div className="bar" aria-hidden="true">
                    <div className="bar-fill" style={{ width: `${Math.max(0, Math.min(1, p)) * 100}%` }} />
                  </div>
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">{t('viewer.segmentationOnly')}</p>
          )}
          {/* Who the model was trained on, beside every answer (an unknown age is answered, not refused). */}
          <p className="muted model-population">{t(populationKeys[result.modelId as ImageModelId] ?? 'viewer.populationUnknown')}</p>
          <p className="audit">
            {t('viewer.audit', {
              id: result.modelId,
              version: result.modelVersion,
              sha: result.modelSha256.slice(0, 12),
              image: result.imageSha256.slice(0, 12),
            })}
          </p>
          {result.imageSha256 !== image.sha256 ? <ErrorAlert message={t('viewer.shaMismatch')} /> : null}
          <p className="muted">{t('viewer.suggestionOnly')}</p>
          {canRun ? <ImageModelDecision key={result.suggestionId} caseId={image.caseId} result={result} /> : null}
        </div>
      ) : null}
    </section>
  );
}
