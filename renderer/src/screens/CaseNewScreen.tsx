import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Differential, ErrorPayload, FindingState, VitalCode } from '../../../electron/contract/ipcContract';
import { api } from '../api/lanternClient';
import { findLab, useCatalogue, useRiskNamer, useSymptomNamer } from '../catalogue';
import { DifferentialPanel } from '../components/DifferentialPanel';
import { ErrorAlert } from '../components/ErrorAlert';
import { InterviewPanel } from '../components/interview/InterviewPanel';
import { TriagePanel } from '../components/TriagePanel';
import { ComplaintPanel } from '../components/noteAnalysis/ComplaintPanel';
import { PatientBanner } from '../components/PatientBanner';
import { CaseModeSwitch, type CaseEntryMode } from '../components/caseNew/CaseModeSwitch';
import { CaseRunActions, type CaseWork } from '../components/caseNew/CaseRunActions';
import { CaseSectionLinks } from '../components/caseNew/CaseSectionLinks';
import { LabsSection, NoteSection, RiskInputsSection, SymptomsSection, VitalsSection } from '../components/caseNew/CaseFormSections';
import { useCaseForm } from '../components/caseNew/useCaseForm';
import { useFocusOnMount } from '../focus';
import { useLocaleFormat } from '../i18n/useLocaleFormat';
import type { Navigate } from '../navigation';
import { useNoteAnalysis } from '../note/useNoteAnalysis';
import { caseSectionForShortcut, type CaseSection } from '../caseSections';
import { useScreenReady } from '../readiness';
import { parseModelInputField } from '../riskInputs';
import { buildCaseRequest, explainCaseError, firstInvalidVital, type CaseRequest } from '../caseRequest';
import { useIpcQuery } from '../useIpcQuery';

interface Failure {
  error: ErrorPayload;
  /** A localised explanation of the field the app complained about, where we can name it. */
  detail: string | null;
}

export function CaseNewScreen({ patientId, navigate }: { patientId: string; navigate: Navigate }) {
  const { t } = useTranslation();
  const fmt = useLocaleFormat();
  const ids = useId();
  const { catalogue, error: catalogueError } = useCatalogue();
  const nameOf = useSymptomNamer(catalogue);
  const riskNames = useRiskNamer(catalogue);

  const { value: patient, error: patientError } = useIpcQuery(useCallback(() => api.getPatient({ patientId }), [patientId]));
  const [mode, setMode] = useState<CaseEntryMode>('form');
  const [riskReveal, setRiskReveal] = useState<{ modelId: string; input: string | null; seq: number } | null>(null);
  const [differential, setDifferential] = useState<Differential | null>(null);
  /** Set when a re-run was asked for from inside the differential (its buttons are gone after it). */
  const [focusDifferential, setFocusDifferential] = useState(false);
  const noteAnalysis = useNoteAnalysis();
  const [busy, setBusy] = useState<CaseWork>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const sectionRefs = useRef<Partial<Record<CaseSection, HTMLElement | null>>>({});
  const runRef = useRef<HTMLButtonElement>(null);
  /** Bumped on every clinical input change, so a late answer for an older case is dropped. */
  const inputsVersion = useRef(0);

  const settled = (catalogue !== null || catalogueError !== null) && (patient !== null || patientError !== null);
  const headingRef = useFocusOnMount<HTMLHeadingElement>(settled);
  useScreenReady('case-new', catalogue !== null && patient !== null);

  /** The shown differential no longer matches the inputs: withdraw it rather than mislead. */
  const invalidate = useCallback(() => {
    inputsVersion.current += 1;
    setDifferential(null);
    setAnnouncement('');
    // A complaint about the old inputs would be stale once they change.
    setFailure(null);
  }, []);
  const { form, change } = useCaseForm(invalidate);
  const { findings, vitals } = form;

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
    return buildCaseRequest({ ...form, findings: findingsNow }, catalogue);
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
    // The run reads the findings with this answer now, before the form state has re-rendered.
    const next = { ...findings, [feature]: state };
    change({ kind: 'findings', changes: [{ feature, state }] });
    void run(next, true);
  }

  return (
    <section className="screen" data-screen="case-new" aria-labelledby={`${ids}-h`}>
      <h1 id={`${ids}-h`} ref={headingRef} tabIndex={-1}>
        {t('caseNew.heading')}
      </h1>
      {patient ? <PatientBanner patient={patient} /> : null}
      <ErrorAlert error={patientError ?? catalogueError} />

      {catalogue && patient ? <CaseModeSwitch mode={mode} onMode={setMode} /> : null}
      {/* Rules first: red flags from the last run and from the answers stay on top of the interview (one panel). */}
      {mode === 'interview' && patient ? (
        <InterviewPanel patient={patient} caseTriage={differential?.triage} onSaved={(caseId) => navigate({ screen: 'case-detail', caseId })} />
      ) : null}

      {mode === 'form' && catalogue && patient ? (
        <div className="case-layout">
          <div className="case-form">
            <CaseSectionLinks onGoTo={goTo} />
            <SymptomsSection catalogue={catalogue} form={form} change={change} nameOf={nameOf} sectionRef={(el) => void (sectionRefs.current.symptoms = el)} />
            <VitalsSection catalogue={catalogue} form={form} change={change} sectionRef={(el) => void (sectionRefs.current.vitals = el)} />
            <LabsSection catalogue={catalogue} form={form} change={change} sectionRef={(el) => void (sectionRefs.current.labs = el)} />
            <RiskInputsSection catalogue={catalogue} form={form} change={change} names={riskNames} reveal={riskReveal} />
            <NoteSection
              catalogue={catalogue}
              form={form}
              change={change}
              nameOf={nameOf}
              sectionRef={(el) => void (sectionRefs.current.note = el)}
              analysis={noteAnalysis.state}
              onAnalyse={() => void noteAnalysis.analyse(form.note)}
              onCancelAnalysis={noteAnalysis.cancel}
            />

            <ErrorAlert error={failure?.error} detail={failure?.detail} />
            <CaseRunActions
              busy={busy}
              runRef={runRef}
              onRun={() => void run(findings, true)}
              onSave={() => void save()}
              onCancel={() => navigate({ screen: 'patient', patientId })}
            />
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
              <ComplaintPanel complaint={noteAnalysis.state.result.complaint} stale={noteAnalysis.state.result.text !== form.note} />
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
