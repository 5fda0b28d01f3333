/** Errors shared by the forest runtime and input validation. */
import { ModelError } from '../modelErrors';

/** An input the model does not know, or a value it cannot take. `feature` names the field. */
export class FeatureError extends ModelError {
  readonly code = 'VALIDATION_FAILED' as const;
  readonly feature: string;
  constructor(feature: string, message: string) {
    super(message);
    this.name = 'FeatureError';
    this.feature = feature;
    // The request names findings by feature; an error about the whole object names no field.
    if (feature) this.field = `findings.${feature}`;
  }
}
