import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseObservations, Differential, ErrorPayload, FindingState, VitalCode } from '../../../electron/contract/ipcContract';
import { api } from '../api/lanternClient';
import { findLab, useCatalogue, useRiskNamer, useSymptomNamer } from '../catalogue';
import { DifferentialPanel } from '../components/DifferentialPanel';
import { ErrorAlert } from '../components/ErrorAlert';
import { InterviewPanel } from '../components/interview/InterviewPanel';
import { LabResultsEditor, type LabEntry } from '../components/LabResultsEditor';
import { ObservationsFields } from '../components/ObservationsFields';
import { TriagePanel } from '../components/TriagePanel';
import { ComplaintPanel } from '../components/noteAnalysis/ComplaintPanel';
import { NoteAnalysisPanel } from '../components/noteAnalysis/NoteAnalysisPanel';
import { PatientBanner } from '../components/PatientBanner';
import { RiskModelInputs } from '../components/RiskModelInputs';
import { SymptomPicker } from '../components/SymptomPicker';
import { VitalSignsFields } from '../components/VitalSignsFields';
import { useFocusOnMount } from '../focus';
import { normaliseSymptomCode } from '../i18n/symptomNames';
import { useLocaleFormat } from '../i18n/useLocaleFormat';
import type { Navigate } from '../navigation';
import { useNoteAnalysis } from '../note/useNoteAnalysis';
import { caseSectionForShortcut, caseSections, type CaseSection } from '../caseSections';
import { useScreenReady } from '../readiness';
import { parseModelInputField, type RiskInputTexts } from '../riskInputs';
import { buildCaseRequest, explainCaseError, firstInvalidVital, type CaseRequest } from '../caseRequest';
import { useIpcQuery } from '../useIpcQuery';

interface Failure {
  error: ErrorPayload;
  /** A localised explanation of the field the app complained about, where we can name it. */
  detail: string | null;
}

const NOTE_MAX = 1_000_000;

export function CaseNewScreen({ patientId, navigate }: { patientId: string; navigate: Navigate }) {
  const { t } = useTranslation();
  const fmt = useLocaleFormat();
  const ids = useId();
  const { catalogue, error: catalogueError } = useCatalogue();
  const nameOf = useSymptomNamer(catalogue);
  const riskNames = useRiskNamer(catalogue);

  const { value: patient, error: patientError } = useIpcQuery(useCallback(() => api.getPatient({ patientId }), [patientId]));
  const [findings, setFindings] = useState<Record<string, FindingState>>({});
  const [vitals, setVitals] = useState<Partial<Record<VitalCode, string>>>({});
  const [observations, setObservations] = useState<CaseObservations>({});
  const [labs, setLabs] = useState<LabEntry[]>([]);
  const [note, setNote] = useState('');
  const [mode, setMode] = useState<'form' | 'interview'>('form');
  const [riskTexts, setRiskTexts] = useState<RiskInputTexts>({});
  const [riskReveal, setRiskReveal] = useState<{ modelId: string; input: string | null; seq: number } | null>(null);
  const [differential, setDifferential] = useState<Differential | null>(null);
  /** Set when a re-run was asked for from inside the differential (its buttons are gone after it). */
  const [focusDifferential, setFocusDifferential] = useState(false);
  const noteAnalysis = useNoteAnalysis();
  const [busy, setBusy] = useState<'run' | 'save' | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const nextLabKey = useRef(1);
  const sectionRefs = useRef<Partial<Record<CaseSection, HTMLElement | null>>>({});
  const runRef = useRef<HTMLButtonElement>(null);
  /** Bumped on every clinical input change, so a late answer for an older case is dropped. */
  const inputsVersion = useRef(0);

  const settled = (catalogue !== null || catalogueError !== null) && (patient !== null || patientError !== null);
  const headingRef = useFocusOnMount<HTMLHeadingElement>(settled);
  useScreenReady('case-new', catalogue !== null && patient !== null);

  /** The shown differential no longer matches the inputs: withdraw it rather than mislead. */
  function invalidate() {
    inputsVersion.current += 1;
    setDifferential(null);
    setAnnouncement('');
    // A complaint about the old inputs would be stale once they change.
    setFailure(null);
  }

  /** Skip links and Alt+Shift shortcuts: to a section's first field, or Run. */
  function goTo(section: CaseSection) {
    if (section === 'run') {
      runRef.current?.focus();
      return;
    }
    const target = sectionRefs.current[section]?.querySelector<HTMLElement>('input:not([type="radio"]), select, textarea');
    target?.scrollIntoView({ block: 'center' });
    target?.focus();
  }

  useEffect(() => {
    function onKey(e: globalThis.KeyboardEvent) {
      const section = caseSectionForShortcut(e);
      if (!section) return;
      e.preventDefault();
      if (section === 'run') void runFromKeyboard();
      else goTo(section);
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const wording = { t, number: fmt.number };
  const firstInvalid = () => firstInvalidVital(vitals, catalogue, wording);

  function showInvalidVital(invalid: { code: VitalCode; message: string }) {
    setFailure({
      error: { code: 'VALUE_OUT_OF_RANGE', message: invalid.message, field: `vitals.${invalid.code}` },
      detail: t('caseNew.nothingRan', { message: invalid.message }),
    });
    const field = sectionRefs.current.vitals?.querySelector<HTMLInputElement>(`input[data-vital="${invalid.code}"]`);
    field?.scrollIntoView({ block: 'center' });
    field?.focus();
  }

  function runFromKeyboard() {
    return run(findings, true);
  }

  function buildCase(findingsNow: Record<string, FindingState> = findings): CaseRequest {
    return buildCaseRequest({ findings: findingsNow, vitals, observations, labs, note, riskTexts }, catalogue);
  }

  function fail(error: ErrorPayload, sent: CaseRequest) {
    setFailure({ error, detail: explainCaseError(error, sent, { catalogue, lab: (loinc) => findLab(catalogue, loinc), risk: riskNames }, wording) });
    const risk = parseModelInputField(error.field ?? '');
    if (risk) setRiskReveal((prev) => ({ ...risk, seq: (prev?.seq ?? 0) + 1 }));
  }

  async function run(findingsNow: Record<string, FindingState> = findings, focusResult = false) {
    const invalid = firstInvalid();
    if (invalid) return showInvalidVital(invalid);
    const sent = buildCase(findingsNow);
    const version = inputsVersion.current;
    setBusy('run');
    setFailure(null);
    const result = await api.runDiagnosis({ ...sent, patientId });
    setBusy(null);
    if (version !== inputsVersion.current) return;
    if (result.ok) {
      setFocusDifferential(focusResult);
      setDifferential(result.value);
      setAnnouncement(t('caseNew.differentialUpdated'));
    } else {
      fail(result.error, sent);
    }
  }

  async function save() {
    const invalid = firstInvalid();
    if (invalid) return showInvalidVital(invalid);
    const sent = buildCase();
    setBusy('save');
    setFailure(null);
    const result = await api.saveCase({ patientId, case: sent });
    setBusy(null);
    if (result.ok) navigate({ screen: 'case-detail', caseId: result.value.id });
    else fail(result.error, sent);
  }

  /** An "ask next" answer: the finding goes into the form and the model runs again at once. */
  function answer(feature: string, state: 'present' | 'absent') {
    const next = { ...findings, [feature]: state };
    invalidate();
    setFindings(next);
    void run(next, true);
  }

  const applyFindings = useCallback((changes: { feature: string; state: FindingState }[]) => {
    invalidate();
    setFindings((prev) => {
      const next = { ...prev };
      for (const { feature, state } of changes) {
        if (state === 'unknown') delete next[feature];
        else next[feature] = state;
      }
      return next;
    });
  }, []);

  /** Note features spelled as the catalogue spells them ("spotting_ urination"), where one matches. */
  const symptomCodes = useMemo(() => {
    const byNormal = new Map((catalogue?.symptoms ?? []).map((s) => [normaliseSymptomCode(s.code), s.code] as const));
    return { known: new Set(byNormal.values()), resolve: (f: string) => byNormal.get(normaliseSymptomCode(f)) ?? f };
  }, [catalogue]);

  return (
    <section className="screen" data-screen="case-new" aria-labelledby={`${ids}-h`}>
      <h1 id={`${ids}-h`} ref={headingRef} tabIndex={-1}>
        {t('caseNew.heading')}
      </h1>
      {patient ? <PatientBanner patient={patient} /> : null}
      <ErrorAlert error={patientError ?? catalogueError} />

      {catalogue && patient ? (
        <div className="actions" role="group" aria-label={t('interview.mode')}>
          <button type="button" className={mode === 'form' ? 'primary' : 'secondary'} aria-pressed={mode === 'form'} onClick={() => setMode('form')}>
            {t('interview.form')}
          </button>
          <button
            type="button"
            className={mode === 'interview' ? 'primary' : 'secondary'}
            aria-pressed={mode === 'interview'}
            onClick={() => setMode('interview')}
          >
            {t('interview.tab')}
          </button>
        </div>
      ) : null}
      {/* Rules first: red flags from the last run and from the answers stay on top of the interview (one panel). */}
      {mode === 'interview' && patient ? (
        <InterviewPanel patient={patient} caseTriage={differential?.triage} onSaved={(caseId) => navigate({ screen: 'case-detail', caseId })} />
      ) : null}

      {mode === 'form' && catalogue && patient ? (
        <div className="case-layout">
          <div className="case-form">
            <nav className="skip-links" aria-label={t('caseNew.sections')}>
              {caseSections.map((section) => (
                <button
                  key={section}
                  type="button"
                  className="link-button"
                  aria-keyshortcuts={`Alt+Shift+${t(`caseNew.shortcut.${section}`)}`}
                  onClick={() => goTo(section)}
                >
                  {t(`caseNew.section.${section}`)} <kbd>Alt+Shift+{t(`caseNew.shortcut.${section}`)}</kbd>
                </button>
              ))}
            </nav>
            <section className="card" aria-labelledby={`${ids}-symptoms`} ref={(el) => void (sectionRefs.current.symptoms = el)}>
              <h2 id={`${ids}-symptoms`}>{t('caseNew.symptomsHeading')}</h2>
              <SymptomPicker
                symptoms={catalogue.symptoms}
                findings={findings}
                nameOf={nameOf}
                onChange={(code, state) => applyFindings([{ feature: code, state }])}
              />
            </section>

            <section className="card" aria-labelledby={`${ids}-vitals`} ref={(el) => void (sectionRefs.current.vitals = el)}>
              <h2 id={`${ids}-vitals`}>{t('caseNew.vitalsHeading')}</h2>
              <VitalSignsFields
                vitals={catalogue.vitals}
                values={vitals}
                onChange={(code, text) => {
                  invalidate();
                  setVitals((prev) => ({ ...prev, [code]: text }));
                }}
              />
              <ObservationsFields
                value={observations}
                onChange={(next) => {
                  invalidate();
                  setObservations(next);
                }}
              />
            </section>

            <section className="card" aria-labelledby={`${ids}-labs`} ref={(el) => void (sectionRefs.current.labs = el)}>
              <h2 id={`${ids}-labs`}>{t('caseNew.labsHeading')}</h2>
              <LabResultsEditor
                labs={catalogue.labs}
                entries={labs}
                onAdd={(loinc, value) => {
                  invalidate();
                  setLabs((prev) => [...prev, { key: nextLabKey.current++, loinc, value }]);
                }}
                onRemove={(key) => {
                  invalidate();
                  setLabs((prev) => prev.filter((l) => l.key !== key));
                }}
              />
            </section>

            {catalogue.riskModels.length > 0 ? (
              <section className="card" aria-labelledby={`${ids}-risk`}>
                <h2 id={`${ids}-risk`}>{t('riskInputs.heading')}</h2>
                <RiskModelInputs
                  models={catalogue.riskModels}
                  texts={riskTexts}
                  names={riskNames}
                  sourceOf={(loinc) => {
                    const vital = catalogue.vitals.find((v) => v.loinc === loinc);
                    if (vital) return t(`vital.${vital.code}`);
                    return findLab(catalogue, loinc)?.name ?? null;
                  }}
                  reveal={riskReveal}
                  onChange={(modelId, input, text) => {
                    invalidate();
                    setRiskTexts((prev) => ({ ...prev, [modelId]: { ...prev[modelId], [input]: text } }));
                  }}
                />
              </section>
            ) : null}

            <section className="card" ref={(el) => void (sectionRefs.current.note = el)}>
              <div className="field">
                <label htmlFor={`${ids}-note`}>{t('caseNew.note')}</label>
                {/* The note does not feed the model, so editing it keeps the differential. */}
                <textarea id={`${ids}-note`} rows={6} maxLength={NOTE_MAX} value={note} onChange={(e) => setNote(e.target.value)} />
              </div>
              <NoteAnalysisPanel
                note={note}
                state={noteAnalysis.state}
                onAnalyse={() => void noteAnalysis.analyse(note)}
                onCancel={noteAnalysis.cancel}
                known={symptomCodes.known}
                resolveSymptom={symptomCodes.resolve}
                findings={findings}
                nameOf={nameOf}
                onSetFindings={applyFindings}
              />
            </section>

            <ErrorAlert error={failure?.error} detail={failure?.detail} />
            <div className="actions case-actions" aria-busy={busy !== null}>
              {/* Run moves focus to the result, so the keyboard user lands on what they asked for. */}
              <button ref={runRef} type="button" className="primary" onClick={() => void run(findings, true)} disabled={busy !== null}>
                {t('caseNew.run')}
              </button>
              <button type="button" className="primary" onClick={() => void save()} disabled={busy !== null}>
                {t('caseNew.save')}
              </button>
              <button type="button" className="secondary" onClick={() => navigate({ screen: 'patient', patientId })} disabled={busy === 'save'}>
                {t('caseNew.cancel')}
              </button>
              <span className="busy" role="status">
                {busy === 'run' ? t('caseNew.running') : busy === 'save' ? t('caseNew.saving') : null}
              </span>
            </div>
          </div>

          <div className="case-result">
            {/* Rules first: the early-warning scores and red flags, before any model output. */}
            {differential ? <TriagePanel triage={differential.triage} /> : null}
            {differential ? (
              <DifferentialPanel
                differential={differential}
                catalogue={catalogue}
                nameOf={nameOf}
                onAnswer={answer}
                answerDisabled={busy !== null}
                focusOnMount={focusDifferential}
              />
            ) : (
              <p className="muted placeholder">{busy === 'run' ? t('caseNew.running') : t('caseNew.notRunYet')}</p>
            )}
            {noteAnalysis.state.phase === 'done' ? (
              <ComplaintPanel complaint={noteAnalysis.state.result.complaint} stale={noteAnalysis.state.result.text !== note} />
            ) : null}
            <p className="sr-only" aria-live="polite">
              {announcement}
            </p>
          </div>
        </div>
      ) : null}
    </section>
  );
}
