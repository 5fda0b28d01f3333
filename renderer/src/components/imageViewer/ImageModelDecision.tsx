import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DecisionAction, ErrorPayload, ImageModelResult } from '../../../../electron/contract/ipcContract';
import { api } from '../../api/lanternClient';
import { ErrorAlert } from '../ErrorAlert';

const actions = ['accept', 'reject', 'defer'] as const satisfies readonly DecisionAction[];

interface Props {
  caseId: string;
  result: ImageModelResult;
}

/**
 * An image model's answer is a suggestion like the differential: the clinician accepts, rejects or
 * defers it (the leading label for a classifier, the model itself for a segmentation), and the app
 * audits that with the model's version and sha256.
 */
export function ImageModelDecision({ caseId, result }: Props) {
  const { t } = useTranslation();
  const ids = useId();
  const top = result.probabilities ? Object.entries(result.probabilities).sort((a, b) => b[1] - a[1])[0]?.[0] : undefined;
  const label = top ?? result.modelId;
  const [recorded, setRecorded] = useState<DecisionAction | null>(null);
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorPayload | null>(null);

  async function record(action: DecisionAction) {
    setBusy(true);
    setError(null);
    const trimmed = reason.trim();
    const response = await api.recordDecision({
      caseId,
      suggestionId: result.suggestionId,
      label,
      action,
      ...(action === 'reject' && trimmed ? { reason: trimmed } : {}),
    });
    setBusy(false);
    if (!response.ok) return setError(response.error);
    setRecorded(action);
    setRejecting(false);
  }

  return (
    <div className="image-model-decision" role="group" aria-labelledby={`${ids}-h`}>
      <p id={`${ids}-h`}>{t('viewer.decisionFor', { label })}</p>
      <div className="actions">
        {actions.map((a) => (
          <button
            key={a}
            type="button"
            className="secondary"
            disabled={busy}
            aria-pressed={recorded === a}
            onClick={() => (a === 'reject' ? setRejecting(true) : void record(a))}
          >
            {t(`decisions.button.${a}`)}
          </button>
        ))}
      </div>
      {rejecting ? (
        <div className="field">
          <label htmlFor={`${ids}-reason`}>{t('decisions.reasonOptional')}</label>
          <input id={`${ids}-reason`} value={reason} maxLength={2000} onChange={(e) => setReason(e.target.value)} />
          <button type="button" className="primary" disabled={busy} onClick={() => void record('reject')}>
            {t('decisions.confirmReject')}
          </button>
        </div>
      ) : null}
      <ErrorAlert error={error} />
      <span role="status">{recorded ? t('decisions.recorded', { action: t(`decisions.action.${recorded}`), name: label }) : null}</span>
    </div>
  );
}
