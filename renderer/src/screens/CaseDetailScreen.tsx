import { useCallback, useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseDetail, Patient, Result } from '../../../electron/contract/ipcContract';
import { api } from '../api/lanternClient';
import { findLab, useCatalogue, useRiskNamer, useSymptomNamer } from '../catalogue';
import { CaseDecisions } from '../components/CaseDecisions';
import { CaseExportButtons } from '../components/CaseExportButtons';
import { CaseImages } from '../components/CaseImages';
import { FinalDiagnosisForm } from '../components/FinalDiagnosisForm';
import { riskValueText } from '../components/riskValueText';
import { DifferentialPanel } from '../components/DifferentialPanel';
import { StoredComplaintPanel } from '../components/noteAnalysis/StoredComplaintPanel';
import { TriagePanel } from '../components/TriagePanel';
import { ErrorAlert } from '../components/ErrorAlert';
import { PatientBanner } from '../components/PatientBanner';
import { RangeFlagBadge } from '../components/RangeFlagBadge';
import { useFocusOnMount } from '../focus';
import { useLocaleFormat } from '../i18n/useLocaleFormat';
import type { Navigate } from '../navigation';
import { useScreenReady } from '../readiness';
import { useIpcQuery } from '../useIpcQuery';
import { SavedInterviews } from '../components/interview/SavedInterviews';

interface Loaded {
  detail: CaseDetail;
  /** Null when the patient could not be read; the case itself is still worth showing. */
  patient: Patient | null;
}

export function CaseDetailScreen({ caseId, navigate }: { caseId: string; navigate: Navigate }) {
  const { t } = useTranslation();
  const fmt = useLocaleFormat();
  const ids = useId();
  const {
    value: data,
    error,
    update,
  } = useIpcQuery(
    useCallback(async (): Promise<Result<Loaded>> => {
      const c = await api.getCase({ caseId });
      if (!c.ok) return c;
      // The banner is a courtesy: a patient that cannot be read does not hide the case.
      const p = await api.getPatient({ patientId: c.value.patientId });
      return { ok: true, value: { detail: c.value, patient: p.ok ? p.value : null } };
    }, [caseId]),
  );
  const { catalogue, error: catalogueError } = useCatalogue();
  const nameOf = useSymptomNamer(catalogue);
  const riskNames = useRiskNamer(catalogue);
  const headingRef = useFocusOnMount<HTMLHeadingElement>(data !== null || error !== null);

  useScreenReady('case-detail', data !== null && (catalogue !== null || catalogueError !== null));

  const detail = data?.detail;
  const entries = detail ? Object.entries(detail.findings) : [];
  const present = entries.filter(([, s]) => s === 'present').map(([code]) => nameOf(code));
  const absent = entries.filter(([, s]) => s === 'absent').map(([code]) => nameOf(code));

  const modelInputs = Object.entries(detail?.modelInputs ?? {}).filter(([, v]) => Object.keys(v).length > 0);

  function findingList(names: string[], heading: string, key: string) {
    return (
      <div className="finding-group">
        <h3 id={`${ids}-${key}`}>{heading}</h3>
        {names.length === 0 ? (
          <p className="muted">{t('caseDetail.noneRecorded')}</p>
        ) : (
          <ul aria-labelledby={`${ids}-${key}`}>
            {names.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        )}
      </div>
    );
  }

  return (
    <section className="screen" data-screen="case-detail" aria-labelledby={`${ids}-h`}>
      <h1 id={`${ids}-h`} ref={headingRef} tabIndex={-1}>
        {detail ? t('caseDetail.heading', { date: fmt.dateTime(detail.createdAt) }) : error ? t(`errors.${error.code}`) : t('app.loading')}
      </h1>
      {data?.patient ? <PatientBanner patient={data.patient} /> : null}
      <ErrorAlert error={error} />
      <div className="actions">
        <button
          type="button"
          className="secondary"
          onClick={() => navigate(detail ? { screen: 'patient', patientId: detail.patientId } : { screen: 'patients' })}
        >
          {detail ? t('caseDetail.backToPatient') : t('patient.backToPatients')}
        </button>
      </div>
      {detail ? <CaseExportButtons caseId={detail.id} /> : null}

      {detail ? (
        <div className="case-layout">
          <div className="case-form">
            <section className="card" aria-labelledby={`${ids}-findings`}>
              <h2 id={`${ids}-findings`}>{t('caseDetail.findings')}</h2>
              <div className="finding-groups">
                {findingList(present, t('caseDetail.present'), 'present')}
                {findingList(absent, t('caseDetail.absent'), 'absent')}
              </div>
            </section>

            <section className="card" aria-labelledby={`${ids}-vitals`}>
              <h2 id={`${ids}-vitals`}>{t('caseDetail.vitals')}</h2>
              {detail.vitals.length === 0 ? (
                <p className="muted">{t('caseDetail.noneRecorded')}</p>
              ) : (
                <table className="data-table" aria-labelledby={`${ids}-vitals`}>
                  <thead>
                    <tr>
                      <th scope="col">{t('caseDetail.measurement')}</th>
                      <th scope="col">{t('caseDetail.value')}</th>
                      <th scope="col">{t('caseDetail.flag')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {detail.vitals.map((v) => (
                      <tr key={v.code}>
                        <th scope="row">{t(`vital.${v.code}`)}</th>
                        <td>{t('measure.valueWithUnit', { value: fmt.number(v.value), unit: v.unit })}</td>
                        <td>
                          <RangeFlagBadge flag={v.flag} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>

            <section className="card" aria-labelledby={`${ids}-labs`}>
              <h2 id={`${ids}-labs`}>{t('caseDetail.labs')}</h2>
              {detail.labs.length === 0 ? (
                <p className="muted">{t('caseDetail.noneRecorded')}</p>
              ) : (
                <table className="data-table" aria-labelledby={`${ids}-labs`}>
                  <thead>
                    <tr>
                      <th scope="col">{t('caseDetail.test')}</th>
                      <th scope="col">LOINC</th>
                      <th scope="col">{t('caseDetail.value')}</th>
                      <th scope="col">{t('caseDetail.flag')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {detail.labs.map((l, i) => (
                      <tr key={`${l.loinc}-${i}`}>
                        <th scope="row">{findLab(catalogue, l.loinc)?.name ?? l.loinc}</th>
                        <td>{l.loinc}</td>
                        <td>{t('measure.valueWithUnit', { value: fmt.number(l.value), unit: l.unit })}</td>
                        <td>
                          <RangeFlagBadge flag={l.flag} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>

            {modelInputs.length > 0 ? (
              <section className="card" aria-labelledby={`${ids}-risk`}>
                <h2 id={`${ids}-risk`}>{t('caseDetail.riskInputs')}</h2>
                {modelInputs.map(([modelId, values]) => (
                  <table key={modelId} className="data-table risk-input-table">
                    <caption>{riskNames.model(modelId)}</caption>
                    <tbody>
                      {Object.entries(values).map(([input, value]) => (
                        <tr key={input}>
                          <th scope="row">{riskNames.input(modelId, input)}</th>
                          <td>{riskValueText(t, fmt.number, riskNames, modelId, input, value)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                ))}
              </section>
            ) : null}

            <section className="card" aria-labelledby={`${ids}-note`}>
              <h2 id={`${ids}-note`}>{t('caseDetail.note')}</h2>
              {detail.note.trim() ? <p className="note">{detail.note}</p> : <p className="muted">{t('caseDetail.noNote')}</p>}
            </section>
          </div>

          <div className="case-result">
            {/* Rules first: the early-warning scores and red flags, before any model output. */}
            {detail.differential ? <TriagePanel triage={detail.differential.triage} /> : null}
            {detail.differential ? (
              <DifferentialPanel differential={detail.differential} catalogue={catalogue} nameOf={nameOf} />
            ) : detail.interviews === undefined ? (
              <p className="muted placeholder">{t('caseDetail.noDifferential')}</p>
            ) : null}
            {detail.interviews ? <SavedInterviews interviews={detail.interviews} /> : null}
            {detail.complaintSuggestion ? <StoredComplaintPanel suggestion={detail.complaintSuggestion} /> : null}
            {/* Decisions and the final diagnosis answer with the whole case; keep the patient as loaded. */}
            <CaseDecisions detail={detail} catalogue={catalogue} onChange={(d) => update((prev) => ({ ...prev, detail: d }))} />
            <FinalDiagnosisForm detail={detail} onChange={(d) => update((prev) => ({ ...prev, detail: d }))} />
          </div>
        </div>
      ) : null}
      {detail ? <CaseImages caseId={detail.id} initial={detail.images ?? []} /> : null}
    </section>
  );
}
