/**
 * The new-case form's inputs as one state with named changes, kept apart from React so the rules
 * (an unknown finding is no finding; only the note leaves the differential standing) are tested
 * without a DOM. useCaseForm (components/caseNew/useCaseForm.ts) holds it for the screen.
 */
import type { CaseObservations, FindingState, VitalCode } from '../../electron/contract/ipcContract';
import type { CaseFormValues } from './caseRequest';
import type { LabEntry } from './components/LabResultsEditor';

export interface CaseFormState extends CaseFormValues {
  labs: LabEntry[];
  /** Local key for the next lab row (two results for one test are told apart by it). */
  nextLabKey: number;
}

export type CaseFormChange =
  | { kind: 'findings'; changes: { feature: string; state: FindingState }[] }
  | { kind: 'vital'; code: VitalCode; text: string }
  | { kind: 'observations'; value: CaseObservations }
  | { kind: 'addLab'; loinc: string; value: number }
  | { kind: 'removeLab'; key: number }
  | { kind: 'riskInput'; modelId: string; input: string; text: string }
  | { kind: 'note'; text: string };

export const emptyCaseForm: CaseFormState = { findings: {}, vitals: {}, observations: {}, labs: [], note: '', riskTexts: {}, nextLabKey: 1 };

export function changeCaseForm(state: CaseFormState, change: CaseFormChange): CaseFormState {
  switch (change.kind) {
    case 'findings': {
      const findings = { ...state.findings };
      // "Unknown" is not evidence: it removes the finding rather than recording it.
      for (const { feature, state: s } of change.changes) {
        if (s === 'unknown') delete findings[feature];
        else findings[feature] = s;
      }
      return { ...state, findings };
    }
    case 'vital':
      return { ...state, vitals: { ...state.vitals, [change.code]: change.text } };
    case 'observations':
      return { ...state, observations: change.value };
    case 'addLab': {
      const lab: LabEntry = { key: state.nextLabKey, loinc: change.loinc, value: change.value };
      return { ...state, labs: [...state.labs, lab], nextLabKey: state.nextLabKey + 1 };
    }
    case 'removeLab':
      return { ...state, labs: state.labs.filter((l) => l.key !== change.key) };
    case 'riskInput':
      return { ...state, riskTexts: { ...state.riskTexts, [change.modelId]: { ...state.riskTexts[change.modelId], [change.input]: change.text } } };
    case 'note':
      return { ...state, note: change.text };
  }
}

/** Whether a change alters what the model sees: the note does not feed it, so it keeps the differential. */
export function changesModelInputs(change: CaseFormChange): boolean {
  return change.kind !== 'note';
}
