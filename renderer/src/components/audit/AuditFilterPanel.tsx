import { useId, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { decisionFilters, type AuditFilterForm, type ClinicianOption } from '../../auditFilter';
import { DateRangeFields } from '../DateRangeFields';
import { ErrorAlert } from '../ErrorAlert';
import { FormActions } from '../FormActions';

interface Props {
  form: AuditFilterForm;
  onChange: <K extends keyof AuditFilterForm>(key: K, value: AuditFilterForm[K]) => void;
  /** Choices offered: clinicians, and model ids and versions seen so far. */
  clinicians: readonly ClinicianOption[];
  modelIds: readonly string[];
  versions: readonly string[];
  formError: string | null;
  searching: boolean;
  onSubmit: (e: FormEvent) => void;
  onReset: () => void;
}

/** The auditor's search form: date range, clinician, model and version, diagnosis, decision. */
export function AuditFilterPanel({ form, onChange, clinicians, modelIds, versions, formError, searching, onSubmit, onReset }: Props) {
  const { t } = useTranslation();
  const ids = useId();
  return (
    <form className="card form audit-filters" onSubmit={onSubmit} noValidate aria-labelledby={`${ids}-filters`}>
      <h2 id={`${ids}-filters`}>{t('audit.filters')}</h2>
      <div className="filter-grid">
        <DateRangeFields
          idPrefix={ids}
          from={form.from}
          to={form.to}
          fromLabel={t('audit.from')}
          toLabel={t('audit.to')}
          onFrom={(v) => onChange('from', v)}
          onTo={(v) => onChange('to', v)}
        />
        <div className="field">
          <label htmlFor={`${ids}-clinician`}>{t('audit.clinician')}</label>
          <select id={`${ids}-clinician`} value={form.clinicianId} onChange={(e) => onChange('clinicianId', e.target.value)}>
            <option value="">{t('audit.any')}</option>
            {clinicians.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${ids}-model`}>{t('audit.modelId')}</label>
          <input
            id={`${ids}-model`}
            list={`${ids}-models`}
            autoComplete="off"
            spellCheck={false}
            value={form.modelId}
            maxLength={60}
            onChange={(e) => onChange('modelId', e.target.value)}
          />
          <datalist id={`${ids}-models`}>
            {modelIds.map((m) => (
              <option key={m} value={m} />
            ))}
          </datalist>
        </div>
        <div className="field">
          <label htmlFor={`${ids}-version`}>{t('audit.modelVersion')}</label>
          <input
            id={`${ids}-version`}
            list={`${ids}-versions`}
            autoComplete="off"
            spellCheck={false}
            value={form.modelVersion}
            maxLength={60}
            onChange={(e) => onChange('modelVersion', e.target.value)}
          />
          <datalist id={`${ids}-versions`}>
            {versions.map((v) => (
              <option key={v} value={v} />
            ))}
          </datalist>
        </div>
        <div className="field">
          <label htmlFor={`${ids}-dx`}>{t('audit.diagnosis')}</label>
          <input
            id={`${ids}-dx`}
            autoComplete="off"
            value={form.diagnosis}
            maxLength={200}
            aria-describedby={`${ids}-dx-hint`}
            onChange={(e) => onChange('diagnosis', e.target.value)}
          />
          <p id={`${ids}-dx-hint`} className="hint">
            {t('audit.diagnosisHint')}
          </p>
        </div>
        <div className="field">
          <label htmlFor={`${ids}-decision`}>{t('audit.decision')}</label>
          <select id={`${ids}-decision`} value={form.decision} onChange={(e) => onChange('decision', e.target.value)}>
            <option value="">{t('audit.any')}</option>
            {decisionFilters.map((d) => (
              <option key={d} value={d}>
                {t(`audit.decisionFilter.${d}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ErrorAlert message={formError} />
      <FormActions submitLabel={t('audit.search')} busy={searching} secondary={{ label: t('audit.clear'), onClick: onReset }} />
    </form>
  );
}
