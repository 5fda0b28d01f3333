import { useTranslation } from 'react-i18next';
import type { Patient } from '../../../electron/contract/ipcContract';
import { useLoadedCatalogue } from '../catalogue';
import { entryName } from '../patientLists';

/**
 * The patient's allergies and current medications in one line each, on every case screen: an
 * allergy missed at prescribing is the error this is for. "Not recorded" is said, never left blank.
 */
export function PatientListsSummary({ patient }: { patient: Patient }) {
  const { t, i18n } = useTranslation();
  const substances = useLoadedCatalogue()?.substances ?? [];
  const list = (entries: Patient['allergies']) =>
    entries
      .map((e) => `${entryName(e, substances, i18n.language)}${e.code === null ? ` (${t('patientLists.uncoded')})` : ''}${e.note ? ` — ${e.note}` : ''}`)
      .join(t('common.listSeparator'));
  const allergies =
    patient.allergies.length > 0
      ? list(patient.allergies)
      : patient.noKnownAllergies
        ? t('patientLists.noKnownAllergies')
        : t('patientLists.allergiesNotRecorded');
  const medications = patient.medications.length > 0 ? list(patient.medications) : t('patientLists.noMedications');
  return (
    <dl className="patient-lists" data-testid="patient-lists">
      <div className={patient.allergies.length > 0 ? 'has-allergies' : undefined}>
        <dt>{t('patientLists.allergies')}</dt>
        <dd data-testid="patient-allergies">{allergies}</dd>
      </div>
      <div>
        <dt>{t('patientLists.medications')}</dt>
        <dd data-testid="patient-medications">{medications}</dd>
      </div>
    </dl>
  );
}
