/**
 * Failures of surveillance computations. A malformed stored date is a data fault (the app writes
 * ISO dates everywhere), so it surfaces as an internal error with its cause logged, not as the
 * user's mistake.
 */
export class SurveillanceDataError extends Error {
  override readonly name = 'SurveillanceDataError';
}
