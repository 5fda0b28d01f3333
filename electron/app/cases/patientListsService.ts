/**
 * A patient's allergies and current medications: coded entries take their name from the
 * committed ATC list (substanceCodes.ts), free text is kept as typed and marked uncoded. Each
 * change is audited with the codes (not the free text, which may say more than a code).
 */
import type { Patient, PatientListEntry, PatientListsInput } from '../../contract/ipcContract';
import { atcSystem, substanceByCode } from './substanceCodes';
import { recordNotFound } from '../../../db/dbErrors';
import { LanternError } from '../serviceErrors';
import type { Actor } from '../actor';

type EntryInput = PatientListsInput['allergies'][number];

function resolveEntry(entry: EntryInput, field: 'allergies' | 'medications'): PatientListEntry {
  const note = entry.note === undefined ? {} : { note: entry.note };
  if (entry.code === null) return { code: null, system: null, display: entry.text!, ...note };
  const known = substanceByCode(entry.code);
  if (!known)
    throw new LanternError('VALIDATION_FAILED', `${entry.code} is not in the list of coded substances; enter it as free text instead.`, { field: field });
  return { code: known.code, system: atcSystem, display: known.name, ...note };
}

/** What the audit event keeps of a list: codes, and "uncoded" for free text. */
const auditCodes = (entries: PatientListEntry[]) => entries.map((e) => e.code ?? 'uncoded');

export function updatePatientLists({ store, user }: Actor, input: PatientListsInput, now = new Date()): Patient {
  if (!store.patients.get(input.patientId)) throw recordNotFound('patient', input.patientId);
  const lists = {
    noKnownAllergies: input.noKnownAllergies,
    allergies: input.allergies.map((e) => resolveEntry(e, 'allergies')),
    medications: input.medications.map((e) => resolveEntry(e, 'medications')),
  };
  const at = now.toISOString();
  store.transaction(() => {
    store.patients.replaceLists(input.patientId, lists, at, user.id);
    store.audit.append({
      at,
      userId: user.id,
      action: 'patient.lists.update',
      detail: {
        patientId: input.patientId,
        noKnownAllergies: lists.noKnownAllergies,
        allergies: auditCodes(lists.allergies),
        medications: auditCodes(lists.medications),
      },
    });
  });
  return store.patients.get(input.patientId)!;
}
