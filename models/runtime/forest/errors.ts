/** Errors shared by the forest runtime and input validation. Node built-ins only. */

/** An input the model does not know, or a value it cannot take. `feature` names the field. */
export class FeatureError extends Error {
  readonly feature: string;
  constructor(feature: string, message: string) {
    super(message);
    this.name = 'FeatureError';
    this.feature = feature;
  }
}
