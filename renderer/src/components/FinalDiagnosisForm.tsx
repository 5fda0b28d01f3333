import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseDetail, ErrorPayload } from '../../../electron/contract/ipcContract';
import { api } from '../api/lanternClient';
import { decidableItems } from '../decisionItems';
import { useLocaleFormat } from '../i18n/useLocaleFormat';
import { canEditClinical, useSessionUser } from '../roles';
import { diagnosisName } from './DifferentialPanel';
import { ErrorAlert } from './ErrorAlert';
import { FormActions } from './FormActions';
import '../styles/accountability.css';

/** Mirrors the contract's Icd10Schema, so a typo is named before the round trip. */
const ICD10_PATTERN = /^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$/;

interface Props {
  detail: CaseDetail;
  onChange: (detail: CaseDetail) => void;
}

/**
 * The clinician's final diagnosis, stored beside the suggestions so agreement can be measured:
 * picked from the differential (its name and ICD-10 code) or typed. Recording again replaces it;
 * the trail keeps the previous one.
 */
export function FinalDiagnosisForm({ detail, onChange }: Props) {
  const { t } = useTranslation();
  const fmt = useLocaleFormat();
  const ids = useId();
  const user = useSessionUser();
  const readOnly = !canEditClinical(user?.role);
  const options = detail.differential ? decidableItems(detail.differential).flatMap((d) => (d.kind === 'diagnosis' ? [d.item] : [])) : [];
  const [picked, setPicked] = useState('');
  const [label, setLabel] = useState('');
  const [icd10, setIcd10] = useState('');
  const [busy, setBusy] = useState(false);
  const [localError, setLocalError] = useState<string | null>(null);
  const [error, setError] = useState<ErrorPayload | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const final = detail.finalDiagnosis;

  function pick(value: string) {
    setPicked(value);
    const item = options.find((o) => o.label === value);
    if (!item) return;
    setLabel(diagnosisName(item));
    setIcd10(item.icd10?.code ?? '');
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const name = label.trim();
    const code = icd10.trim().toUpperCase();
    if (!name) return setLocalError(t('finalDiagnosis.labelRequired'));
    if (code && !ICD10_PATTERN.test(code)) return setLocalError(t('finalDiagnosis.icd10Invalid'));
    setLocalError(null);
    setBusy(true);
    const result = await api.recordFinalDiagnosis({ caseId: detail.id, label: name, icd10: code || null });
    setBusy(false);
    if (!result.ok) return setError(result.error);
    setAnnouncement(t('finalDiagnosis.recorded', { label: name }));
    setPicked('');
    setLabel('');
    setIcd10('');
    onChange(result.value);
  }

  return (
    <section className="card final-diagnosis" aria-labelledby={`${ids}-h`}>
      <h2 id={`${ids}-h`}>{t('finalDiagnosis.heading')}</h2>
      {final ? (
        <p className="final-recorded" data-final-diagnosis={final.label}>
          <strong>{final.label}</strong>
          {final.icd10 ? <span className="icd10"> · {t('finalDiagnosis.icd10Code', { code: final.icd10 })}</span> : null}
          <br />
          <span className="muted">
            {t('finalDiagnosis.recordedBy', { name: final.recordedByName ?? t('decisions.unknownUser'), when: fmt.dateTime(final.recordedAt) })}
          </span>
        </p>
      ) : (
        <p className="muted">{t('finalDiagnosis.none')}</p>
      )}
      <p className="sr-only" role="status">
        {announcement}
      </p>
      {readOnly ? null : (
        <form className="form" onSubmit={submit} noValidate aria-busy={busy}>
          {options.length > 0 ? (
            <div className="field">
              <label htmlFor={`${ids}-pick`}>{t('finalDiagnosis.pick')}</label>
              <select id={`${ids}-pick`} value={picked} onChange={(e) => pick(e.target.value)}>
                <option value="">{t('finalDiagnosis.pickNone')}</option>
                {options.map((o) => (
                  <option key={o.label} value={o.label}>
                    {o.icd10 ? t('finalDiagnosis.option', { name: diagnosisName(o), code: o.icd10.code }) : diagnosisName(o)}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          <div className="field">
            <label htmlFor={`${ids}-label`}>{t('finalDiagnosis.label')}</label>
            <input
              id={`${ids}-label`}
              autoComplete="off"
              value={label}
              maxLength={200}
              aria-invalid={error?.field === 'label' || undefined}
              onChange={(e) => {
                setLabel(e.target.value);
                setPicked('');
              }}
            />
          </div>
          <div className="field">
            <label htmlFor={`${ids}-icd`}>{t('finalDiagnosis.icd10')}</label>
            <input
              id={`${ids}-icd`}
              autoComplete="off"
              autoCapitalize="characters"
              spellCheck={false}
              value={icd10}
              maxLength={8}
              aria-describedby={`${ids}-icd-hint`}
              aria-invalid={error?.field === 'icd10' || undefined}
              onChange={(e) => setIcd10(e.target.value)}
            />
            <p id={`${ids}-icd-hint`} className="hint">
              {t('finalDiagnosis.icd10Hint')}
            </p>
          </div>
          <ErrorAlert message={localError} />
          <ErrorAlert error={error} />
          <FormActions submitLabel={final ? t('finalDiagnosis.replace') : t('finalDiagnosis.submit')} busy={busy} status={busy ? t('common.saving') : null} />
        </form>
      )}
    </section>
  );
}
