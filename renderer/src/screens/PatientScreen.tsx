import { useCallback, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseSummary, Patient, Result } from '../../../electron/contract/ipcContract';
import { api } from '../api/lanternClient';
import { useCatalogue, useSymptomNamer } from '../catalogue';
import { ErrorAlert } from '../components/ErrorAlert';
import { PatientListsEditor } from '../components/PatientListsEditor';
import { PatientListsSummary } from '../components/PatientListsSummary';
import { useFocusOnMount } from '../focus';
import { useLocaleFormat } from '../i18n/useLocaleFormat';
import type { Navigate } from '../navigation';
import { useScreenReady } from '../readiness';
import { canEditClinical, useSessionUser } from '../roles';
import { patientAge } from '../patientAge';
import { caseDiagnosisText } from '../caseHistory';
import { useIpcQuery } from '../useIpcQuery';

interface Loaded {
  patient: Patient;
  cases: CaseSummary[];
}

export function PatientScreen({ patientId, navigate }: { patientId: string; navigate: Navigate }) {
  const { t, i18n } = useTranslation();
  const fmt = useLocaleFormat();
  const ids = useId();
  const {
    value: data,
    error,
    update,
  } = useIpcQuery(
    useCallback(async (): Promise<Result<Loaded>> => {
      const [p, c] = await Promise.all([api.getPatient({ patientId }), api.listCases({ patientId })]);
      if (!p.ok) return p;
      if (!c.ok) return c;
      // Newest first, whatever order the store returns.
      const cases = [...c.value].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      return { ok: true, value: { patient: p.value, cases } };
    }, [patientId]),
  );
  const { catalogue, error: catalogueError } = useCatalogue();
  const nameOf = useSymptomNamer(catalogue);
  const headingRef = useFocusOnMount<HTMLHeadingElement>(data !== null || error !== null);
  const canEdit = canEditClinical(useSessionUser()?.role);
  const [editingLists, setEditingLists] = useState(false);

  // Labels need the catalogue, but a catalogue failure must not hide the chart: codes still show.
  useScreenReady('patient', data !== null && (catalogue !== null || catalogueError !== null));

  return (
    <section className="screen" data-screen="patient" aria-labelledby={`${ids}-h`}>
      <h1 id={`${ids}-h`} ref={headingRef} tabIndex={-1}>
        {data ? data.patient.name : error ? t(`errors.${error.code}`) : t('app.loading')}
      </h1>
      <ErrorAlert error={error} />
      {data ? (
        <>
          <p className="patient-meta">
            {t('patient.summary', {
              date: fmt.calendarDate(data.patient.birthDate),
              age: patientAge(t, data.patient.birthDate),
              sex: t(`sex.${data.patient.sex}`),
            })}
          </p>
          {data.patient.identifier || data.patient.phone || data.patient.address ? (
            <dl className="patient-details">
              {(['identifier', 'phone', 'address'] as const).map((field) =>
                data.patient[field] ? (
                  <div key={field}>
                    <dt>
                      {t(`patients.${field}`)
                        .replace(/[（(].*[)）]$/, '')
                        .trim()}
                    </dt>
                    <dd>{data.patient[field]}</dd>
                  </div>
                ) : null,
              )}
            </dl>
          ) : null}
          <h2>{t('patientLists.heading')}</h2>
          <PatientListsSummary patient={data.patient} />
          {editingLists ? (
            <PatientListsEditor
              patient={data.patient}
              substances={catalogue?.substances ?? []}
              onSaved={(patient) => {
                update((loaded) => ({ ...loaded, patient }));
                setEditingLists(false);
              }}
              onCancel={() => setEditingLists(false)}
            />
          ) : canEdit ? (
            <button type="button" className="secondary" onClick={() => setEditingLists(true)}>
              {t('patientLists.edit')}
            </button>
          ) : null}
          <div className="actions">
            {canEdit ? (
              <button type="button" className="primary" onClick={() => navigate({ screen: 'case-new', patientId })}>
                {t('patient.newCase')}
              </button>
            ) : null}
            <button type="button" className="secondary" onClick={() => navigate({ screen: 'patients' })}>
              {t('patient.backToPatients')}
            </button>
          </div>

          <h2 id={`${ids}-history`}>{t('patient.history')}</h2>
          {data.cases.length === 0 ? (
            <p className="muted">{t('patient.noCases')}</p>
          ) : (
            <ul className="case-list" aria-labelledby={`${ids}-history`}>
              {data.cases.map((c) => (
                <li key={c.id}>
                  <button type="button" className="list-button" onClick={() => navigate({ screen: 'case-detail', caseId: c.id })}>
                    <span className="case-date">{fmt.dateTime(c.createdAt)}</span>
                    <span className="case-diagnosis">{caseDiagnosisText(t, c, i18n.language)}</span>
                    <span className="case-findings">
                      {c.presentFindings.length > 0
                        ? t('patient.findings', { list: c.presentFindings.map(nameOf).join(t('common.listSeparator')) })
                        : t('patient.noFindings')}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </>
      ) : (
        <button type="button" className="secondary" onClick={() => navigate({ screen: 'patients' })}>
          {t('patient.backToPatients')}
        </button>
      )}
    </section>
  );
}
