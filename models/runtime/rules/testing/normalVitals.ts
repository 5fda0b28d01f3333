/** Test support: an adult at rest on air, every NEWS2 parameter scoring 0 and no red flag raised. */
export const normalVitals = {
  respiratoryRate: 16,
  spo2: 98,
  onSupplementalOxygen: false,
  temperature: 37,
  systolicBp: 120,
  heartRate: 70,
  consciousness: 'alert',
} as const;
