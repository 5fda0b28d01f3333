/**
 * A problem with one input line of a bulk JSON Lines command, reported in that line's error record
 * (`{"id", "error": {code, message, field?}}`) while the run goes on. Its own module so that the
 * command line can recognise it without loading every command's dependencies.
 */
export class LineError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}
