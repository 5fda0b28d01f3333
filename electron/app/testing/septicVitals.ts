import type { CaseInput } from '../../contract/ipcContract';

/** Test support: the vitals of a septic adult (fast breathing, low SpO2, fever, low systolic pressure, fast pulse). */
export const septicVitals: CaseInput['vitals'] = [
  { code: 'respiratoryRate', value: 26 },
  { code: 'spo2', value: 93 },
  { code: 'temperature', value: 39.4 },
  { code: 'systolicBp', value: 92 },
  { code: 'heartRate', value: 118 },
];
