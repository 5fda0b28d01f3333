import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseDetail, Catalogue, DecisionAction, ErrorPayload } from '../../../electron/contract/ipcContract';
import { api } from '../api/lanternClient';
import { useRiskNamer } from '../catalogue';
import { decidableItems, latestDecisions, type DecidableItem } from '../decisionItems';
import { useLocaleFormat } from '../i18n/useLocaleFormat';
import { canEditClinical, useSessionUser } from '../roles';
import { diagnosisName } from './DifferentialPanel';
import { ErrorAlert } from './ErrorAlert';
import { DecisionHistoryTable } from './DecisionHistoryTable';
import '../styles/accountability.css';
import { FormActions } from './FormActions';

/** The contract's decision actions, in button order (types only may cross into the renderer). */
const actions = ['accept', 'reject', 'defer'] as const satisfies readonly DecisionAction[];

interface Props {
  detail: CaseDetail;
  catalogue: Catalogue | null;
  /** The app answers each decision with the whole case, decisions included. */
  onChange: (detail: CaseDetail) => void;
}

/**
 * Accept, reject or defer each suggestion of the stored differential. Rejecting opens a reason
 * field; for a can't-miss diagnosis the app refuses a rejection without one and says so.
 * Auditors see the decisions and their history, without the buttons.
 */
export function CaseDecisions({ detail, catalogue, onChange }: Props) {
  const { t } = useTranslation();
  const fmt = useLocaleFormat();
  const ids = useId();
  const user = useSessionUser();
  const riskNames = useRiskNamer(catalogue);
  const readOnly = !canEditClinical(user?.role);
  const [busy, setBusy] = useState<string | null>(null);
  const [rejecting, setRejecting] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<{ label: string; error: ErrorPayload } | null>(null);
  const [announcement, setAnnouncement] = useState('');

  const { differential, suggestionId } = detail;
  if (!differential || !suggestionId) return null;
  const items = decidableItems(differential);
  const latest = latestDecisions(detail.decisions, suggestionId);
  const names = new Map(items.map((i) => [i.label, nameOf(i)]));

  function nameOf(i: DecidableItem): string {
    return i.kind === 'diagnosis' ? diagnosisName(i.item) : riskNames.model(i.label);
  }

  async function record(item: DecidableItem, action: DecisionAction, why?: string) {
    if (!suggestionId) return;
    setBusy(item.label);
    setError(null);
    const trimmed = why?.trim();
    const result = await api.recordDecision({
      caseId: detail.id,
      suggestionId,
      label: item.label,
      action,
      ...(trimmed ? { reason: trimmed } : {}),
    });
    setBusy(null);
    if (!result.ok) {
      setError({ label: item.label, error: result.error });
      return;
    }
    setRejecting(null);
    setReason('');
    setAnnouncement(t('decisions.recorded', { action: t(`decisions.action.${action}`), name: nameOf(item) }));
    onChange(result.value);
  }

  function onAction(item: DecidableItem, action: DecisionAction) {
    if (action === 'reject') {
      // A rejection asks for its reason first (required for can't-miss diagnoses).
      setRejecting(item.label);
      setReason('');
      setError(null);
      return;
    }
    void record(item, action);
  }

  const history = [...detail.decisions].reverse();

  return (
    <section className="card decisions" aria-labelledby={`${ids}-h`} data-decisions={suggestionId}>
      <h2 id={`${ids}-h`}>{t('decisions.heading')}</h2>
      <p className="hint">{readOnly ? t('decisions.readOnly') : t('decisions.intro')}</p>
      <p className="sr-only" role="status">
        {announcement}
      </p>
      <ul className="decision-list">
        {items.map((item) => {
          const nameId = `${ids}-${item.label.replace(/[^a-z0-9]/gi, '_')}`;
          const last = latest.get(item.label);
          const itemError = error?.label === item.label ? error.error : null;
          return (
            <li
              key={item.label}
              className={`decision-item${item.cantMiss ? ' is-cant-miss' : ''}`}
              role="group"
              aria-labelledby={nameId}
              data-label={item.label}
              data-cant-miss={item.cantMiss ? 'true' : undefined}
              data-decision={last?.action ?? 'none'}
            >
              <div className="decision-head">
                <span id={nameId} className="diagnosis">
                  {names.get(item.label)}
                </span>
                {item.cantMiss ? <span className="badge badge-cant-miss">{t('differential.cantMissBadge')}</span> : null}
                {item.kind === 'risk' ? <span className="badge">{t('decisions.riskModel')}</span> : null}
                <span className="probability">{fmt.probability(item.probability)}</span>
              </div>
              <p className="decision-latest">
                {last
                  ? t(last.reason ? 'decisions.latestWithReason' : 'decisions.latest', {
                      action: t(`decisions.action.${last.action}`),
                      name: last.userName ?? t('decisions.unknownUser'),
                      when: fmt.dateTime(last.createdAt),
                      reason: last.reason ?? '',
                    })
                  : t('decisions.none')}
              </p>
              {readOnly ? null : (
                <div className="decision-buttons">
                  {actions.map((action) => (
                    <button
                      key={action}
                      type="button"
                      className={`secondary small decision-${action}`}
                      aria-pressed={last?.action === action}
                      disabled={busy !== null}
                      onClick={() => onAction(item, action)}
                    >
                      {t(`decisions.button.${action}`)}
                    </button>
                  ))}
                </div>
              )}
              {!readOnly && rejecting === item.label ? (
                <form
                  className="reject-reason"
                  noValidate
                  onSubmit={(e) => {
                    e.preventDefault();
                    void record(item, 'reject', reason);
                  }}
                >
                  <div className="field">
                    <label htmlFor={`${nameId}-reason`}>{item.cantMiss ? t('decisions.reasonRequired') : t('decisions.reasonOptional')}</label>
                    <input
                      id={`${nameId}-reason`}
                      autoFocus
                      value={reason}
                      maxLength={2000}
                      aria-required={item.cantMiss || undefined}
                      aria-invalid={itemError?.field === 'reason' || undefined}
                      onChange={(e) => setReason(e.target.value)}
                    />
                  </div>
                  <FormActions
                    submitLabel={t('decisions.confirmReject')}
                    busy={busy !== null}
                    small
                    secondary={{ label: t('common.cancel'), onClick: () => setRejecting(null), whileBusy: true }}
                  />
                </form>
              ) : null}
              <ErrorAlert error={itemError} />
            </li>
          );
        })}
      </ul>

      <h3 id={`${ids}-history`}>{t('decisions.history')}</h3>
      <DecisionHistoryTable
        decisions={history}
        labelledBy={`${ids}-history`}
        nameOf={(label) => names.get(label) ?? label}
        className="data-table decision-history"
      />
    </section>
  );
}
