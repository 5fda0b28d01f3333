/**
 * The shapes of a FHIR R4 collection Bundle as we write it. Their own module so that the builders of
 * its parts (caseFhirBundle.ts, caseTriageFhir.ts) import them one way, not from each other.
 */
export type FhirResource = { resourceType: string; id: string } & Record<string, unknown>;

export interface FhirBundle {
  resourceType: 'Bundle';
  id: string;
  meta: { lastUpdated: string };
  identifier: { system: string; value: string };
  type: 'collection';
  timestamp: string;
  entry: { fullUrl: string; resource: FhirResource }[];
}
