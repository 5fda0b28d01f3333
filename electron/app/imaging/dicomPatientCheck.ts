/**
 * Does a DICOM file name the case's patient? Compares the file's PatientName, PatientBirthDate and
 * PatientSex with the patient record, and its PatientID with the IDs of DICOM files already attached
 * to this patient (the app keeps no hospital number of its own). Fields the file leaves empty are not
 * evidence either way. A difference stops the attach until the clinician confirms it (audited).
 */
import type { Patient } from '../../contract/ipcContract';

export interface PatientMismatch {
  field: 'PatientName' | 'PatientID' | 'PatientBirthDate' | 'PatientSex';
  /** What the file says. */
  file: string;
  /** What the record says. */
  record: string;
}

/** Name words, case- and accent-folded; DICOM's ^ separates family, given, middle, prefix, suffix. */
function nameWords(name: string): Set<string> {
  return new Set(
    name
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .split(/[\s^,.=]+/u)
      .filter((w) => w !== ''),
  );
}

const subset = (a: Set<string>, b: Set<string>): boolean => [...a].every((w) => b.has(w));

const sexCodes: Record<string, string> = { M: 'male', F: 'female', O: 'other' };

export function dicomPatientMismatches(
  header: Readonly<Record<string, string>>,
  patient: Pick<Patient, 'name' | 'birthDate' | 'sex'>,
  knownPatientIds: readonly string[] = [],
): PatientMismatch[] {
  const out: PatientMismatch[] = [];
  const name = (header['PatientName'] ?? '').trim();
  const fileWords = nameWords(name);
  const recordWords = nameWords(patient.name);
  // Either may carry an extra middle name: a mismatch is a word in neither direction's subset.
  if (fileWords.size > 0 && !subset(fileWords, recordWords) && !subset(recordWords, fileWords)) {
    out.push({ field: 'PatientName', file: name, record: patient.name });
  }
  const id = (header['PatientID'] ?? '').trim();
  const others = [...new Set(knownPatientIds.map((k) => k.trim()).filter((k) => k !== ''))];
  if (id !== '' && others.length > 0 && !others.includes(id)) out.push({ field: 'PatientID', file: id, record: others.join(', ') });
  const birth = (header['PatientBirthDate'] ?? '').trim();
  if (/^\d{8}$/.test(birth) && birth !== patient.birthDate.replace(/-/g, '')) {
    out.push({ field: 'PatientBirthDate', file: `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6)}`, record: patient.birthDate });
  }
  const sex = sexCodes[(header['PatientSex'] ?? '').trim().toUpperCase()];
  if (sex !== undefined && (patient.sex === 'male' || patient.sex === 'female' || patient.sex === 'other') && sex !== patient.sex) {
    out.push({ field: 'PatientSex', file: sex, record: patient.sex });
  }
  return out;
}

/** Why an attach was stopped: the file names someone else. Confirming attaches it anyway (audited). */
export function patientMismatchMessage(fileName: string, mismatches: readonly PatientMismatch[]): string {
  return (
    `${fileName} may belong to another patient: ${mismatches.map((m) => `${m.field} in the file is "${m.file}", the case has "${m.record}"`).join('; ')}. ` +
    'Attach it only if you are sure it is this patient’s image.'
  );
}
