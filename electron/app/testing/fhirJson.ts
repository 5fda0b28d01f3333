/**
 * A FHIR resource as the export tests read it: JSON already checked by the FHIR schema validator,
 * then walked by path in assertions, so its fields are not typed one by one here.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- schema-checked JSON read by path in test assertions
export type FhirJson = Record<string, any>;
