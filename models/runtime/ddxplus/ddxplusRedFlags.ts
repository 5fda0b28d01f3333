/**
 * The DDXPlus interview's answers read as the red-flag rules' findings (models/runtime/rules/redFlags.ts), so
 * an interview raises the same flags as the case form. Only what the answer says: 1 is present, 0 is
 * absent, an unanswered question is unknown (never absent). Node built-ins only.
 */
import type { FindingState } from '../rules/redFlags';
import type { DdxFeatures } from './ddxplusEncoding';

/** Yes/no evidences that are a rule finding as they stand (the release's question in the comment). */
const BINARY_FINDINGS: readonly { evidence: string; finding: string }[] = [
  { evidence: 'E_66', finding: 'breathlessness' }, // shortness of breath or difficulty breathing in a significant way
  { evidence: 'E_50', finding: 'sweating' }, // significantly increased sweating
  { evidence: 'E_148', finding: 'nausea' }, // nauseous or feel like vomiting
  { evidence: 'E_211', finding: 'vomiting' }, // vomited several times or several efforts to vomit
  { evidence: 'E_91', finding: 'mild_fever' }, // fever, felt or measured (reported, not measured here)
  { evidence: 'E_39', finding: 'altered_sensorium' }, // confused or disorientated lately
  { evidence: 'E_156', finding: 'facial_droop' }, // weakness or paralysis on one side of the face (present or resolved: a TIA is urgent too)
  { evidence: 'E_159', finding: 'syncope' }, // did you lose consciousness
];

/** Pain locations (E_55, after "pain related to the reason for consulting", E_53) that are chest pain. */
export const CHEST_LOCATIONS: readonly string[] = ['V_29', 'V_101', 'V_55', 'V_56', 'V_159', 'V_160']; // lower, upper, sides of the chest, breasts

const stateOf = (v: DdxFeatures[string] | undefined): FindingState => (v === 1 ? 'present' : v === 0 ? 'absent' : 'unknown');

/**
 * Chest pain: present when pain at rest in the chest is reported (E_14) or the pain's location (E_55)
 * includes the chest; absent when there is no pain (E_53 no), or pain whose location leaves the chest
 * out and no chest pain at rest; unknown otherwise.
 */
function chestPain(f: DdxFeatures): FindingState {
  const where = f['E_55'];
  const inChest = Array.isArray(where) && where.some((v) => CHEST_LOCATIONS.includes(v));
  if (f['E_14'] === 1 || (f['E_53'] === 1 && inChest)) return 'present';
  if (f['E_53'] === 0 && f['E_14'] !== 1) return 'absent';
  if (f['E_53'] === 1 && Array.isArray(where) && !inChest && f['E_14'] === 0) return 'absent';
  return 'unknown';
}

/** Rule findings from interview answers (as given; the encoder's normalised form works too). */
export function ruleFindingsOfAnswers(answers: DdxFeatures): Record<string, FindingState> {
  const out: Record<string, FindingState> = { chest_pain: chestPain(answers) };
  for (const { evidence, finding } of BINARY_FINDINGS) out[finding] = stateOf(answers[evidence]);
  return out;
}
