/**
 * The sections of the new-case form, each a card with its heading. The screen owns the state; a
 * section shows its part and reports changes as caseForm changes. `sectionRef` lets the skip links
 * and shortcuts reach a section's first field.
 */
import { useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Catalogue, FindingState } from '../../../../electron/contract/ipcContract';
import type { CaseFormChange, CaseFormState } from '../../caseForm';
import { findLab, type RiskNamer } from '../../catalogue';
import { normaliseSymptomCode } from '../../i18n/symptomNames';
import type { NoteAnalysisState } from '../../note/useNoteAnalysis';
import { LabResultsEditor } from '../LabResultsEditor';
import { NoteAnalysisPanel } from '../noteAnalysis/NoteAnalysisPanel';
import { ObservationsFields } from '../ObservationsFields';
import { RiskModelInputs } from '../RiskModelInputs';
import { SymptomPicker } from '../SymptomPicker';
import { VitalSignsFields } from '../VitalSignsFields';

const NOTE_MAX = 1_000_000;

interface SectionProps {
  catalogue: Catalogue;
  form: CaseFormState;
  change: (change: CaseFormChange) => void;
  sectionRef?: (el: HTMLElement | null) => void;
}

export function SymptomsSection({ catalogue, form, change, sectionRef, nameOf }: SectionProps & { nameOf: (code: string) => string }) {
  const { t } = useTranslation();
  const ids = useId();
  return (
    <section className="card" aria-labelledby={`${ids}-symptoms`} ref={sectionRef}>
      <h2 id={`${ids}-symptoms`}>{t('caseNew.symptomsHeading')}</h2>
      <SymptomPicker
        symptoms={catalogue.symptoms}
        findings={form.findings}
        nameOf={nameOf}
        onChange={(code, state) => change({ kind: 'findings', changes: [{ feature: code, state }] })}
      />
    </section>
  );
}

export function VitalsSection({ catalogue, form, change, sectionRef }: SectionProps) {
  const { t } = useTranslation();
  const ids = useId();
  return (
    <section className="card" aria-labelledby={`${ids}-vitals`} ref={sectionRef}>
      <h2 id={`${ids}-vitals`}>{t('caseNew.vitalsHeading')}</h2>
      <VitalSignsFields vitals={catalogue.vitals} values={form.vitals} onChange={(code, text) => change({ kind: 'vital', code, text })} />
      <ObservationsFields value={form.observations} onChange={(value) => change({ kind: 'observations', value })} />
    </section>
  );
}

export function LabsSection({ catalogue, form, change, sectionRef }: SectionProps) {
  const { t } = useTranslation();
  const ids = useId();
  return (
    <section className="card" aria-labelledby={`${ids}-labs`} ref={sectionRef}>
      <h2 id={`${ids}-labs`}>{t('caseNew.labsHeading')}</h2>
      <LabResultsEditor
        labs={catalogue.labs}
        entries={form.labs}
        onAdd={(loinc, value) => change({ kind: 'addLab', loinc, value })}
        onRemove={(key) => change({ kind: 'removeLab', key })}
      />
    </section>
  );
}

/** Shown only where the catalogue has risk models. */
export function RiskInputsSection({
  catalogue,
  form,
  change,
  names,
  reveal,
}: SectionProps & { names: RiskNamer; reveal: { modelId: string; input: string | null; seq: number } | null }) {
  const { t } = useTranslation();
  const ids = useId();
  if (catalogue.riskModels.length === 0) return null;
  return (
    <section className="card" aria-labelledby={`${ids}-risk`}>
      <h2 id={`${ids}-risk`}>{t('riskInputs.heading')}</h2>
      <RiskModelInputs
        models={catalogue.riskModels}
        texts={form.riskTexts}
        names={names}
        sourceOf={(loinc) => {
          const vital = catalogue.vitals.find((v) => v.loinc === loinc);
          if (vital) return t(`vital.${vital.code}`);
          return findLab(catalogue, loinc)?.name ?? null;
        }}
        reveal={reveal}
        onChange={(modelId, input, text) => change({ kind: 'riskInput', modelId, input, text })}
      />
    </section>
  );
}

export function NoteSection({
  catalogue,
  form,
  change,
  sectionRef,
  nameOf,
  analysis,
  onAnalyse,
  onCancelAnalysis,
}: SectionProps & { nameOf: (code: string) => string; analysis: NoteAnalysisState; onAnalyse: () => void; onCancelAnalysis: () => void }) {
  const { t } = useTranslation();
  const ids = useId();
  /** Note features spelled as the catalogue spells them ("spotting_ urination"), where one matches. */
  const symptomCodes = useMemo(() => {
    const byNormal = new Map(catalogue.symptoms.map((s) => [normaliseSymptomCode(s.code), s.code] as const));
    return { known: new Set(byNormal.values()), resolve: (f: string) => byNormal.get(normaliseSymptomCode(f)) ?? f };
  }, [catalogue]);
  return (
    <section className="card" ref={sectionRef}>
      <div className="field">
        <label htmlFor={`${ids}-note`}>{t('caseNew.note')}</label>
        {/* The note does not feed the model, so editing it keeps the differential. */}
        <textarea id={`${ids}-note`} rows={6} maxLength={NOTE_MAX} value={form.note} onChange={(e) => change({ kind: 'note', text: e.target.value })} />
      </div>
      <NoteAnalysisPanel
        note={form.note}
        state={analysis}
        onAnalyse={onAnalyse}
        onCancel={onCancelAnalysis}
        known={symptomCodes.known}
        resolveSymptom={symptomCodes.resolve}
        findings={form.findings}
        nameOf={nameOf}
        onSetFindings={(changes: { feature: string; state: FindingState }[]) => change({ kind: 'findings', changes })}
      />
    </section>
  );
}
