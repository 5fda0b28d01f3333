import { useTranslation } from 'react-i18next';
import type { Patient } from '../../../electron/contract/ipcContract';
import { useLocaleFormat } from '../i18n/useLocaleFormat';
import { patientAge } from '../patientAge';
import { PatientListsSummary } from './PatientListsSummary';

/** Who a case belongs to, shown above every case screen so the wrong chart is hard to miss. */
export function PatientBanner({ patient }: { patient: Patient }) {
  const { t } = useTranslation();
  const fmt = useLocaleFormat();
  return (
    <div className="patient-banner">
      <p>
        <span className="patient-name">{patient.name}</span>
        <span className="patient-meta">
          {t('patient.summary', { date: fmt.calendarDate(patient.birthDate), age: patientAge(t, patient.birthDate), sex: t(`sex.${patient.sex}`) })}
          {patient.identifier ? ` · ${t('patients.identifierShort', { id: patient.identifier })}` : ''}
        </span>
      </p>
      <PatientListsSummary patient={patient} />
    </div>
  );
}
