// What the services refuse a request with, in the domain's words rather than HTTP's: the API
// turns each kind into its problem in one place (src/server/problem-from-error.ts), so a library
// never picks a status code. The offending fields are the problem's own (src/contract/problem.ts).
import type { FieldError } from '../contract/problem.ts';

/** The thing named does not exist, or is not the caller's tenant's. */
export class NotFoundError extends Error {
  override name = 'NotFoundError';
}

/** The caller may not do this, whatever their role (e.g. an API key switching tenant). */
export class ForbiddenError extends Error {
  override name = 'ForbiddenError';
}

/** The thing is not in a state that allows the operation, or the change collides with another thing. */
export class ConflictError extends Error {
  override name = 'ConflictError';
  readonly errors?: FieldError[];
  constructor(message: string, errors?: FieldError[]) {
    super(message);
    this.errors = errors;
  }
}

/** The change was based on a version that is no longer current: `current` is the version now. */
export class StaleVersionError extends ConflictError {
  override name = 'StaleVersionError';
  readonly current: number;
  constructor(message: string, current: number, errors?: FieldError[]) {
    super(message, errors);
    this.current = current;
  }
}

/** The request is well-formed but names or asks for what cannot be; the offending fields say why. */
export class InvalidInputError extends Error {
  override name = 'InvalidInputError';
  readonly errors: FieldError[];
  /** The service's own summary (e.g. how many rows are bad), every field with it; else the first fields are the detail. */
  readonly summary?: string;
  constructor(errors: FieldError[], summary?: string) {
    super(summary ?? errors.map((e) => `${e.field}: ${e.message}`).join('; '));
    this.errors = errors;
    this.summary = summary;
  }
}

/** The request's content cannot be read at all (e.g. a CSV with an unclosed quote). */
export class MalformedInputError extends Error {
  override name = 'MalformedInputError';
  readonly errors: FieldError[];
  constructor(message: string, errors: FieldError[]) {
    super(message);
    this.errors = errors;
  }
}

/**
 * A platform this request depends on (an ad platform) failed or could not be reached: not the
 * client's mistake, and nothing was changed. `platform` names it for the person reading.
 */
export class UpstreamUnavailableError extends Error {
  override name = 'UpstreamUnavailableError';
  readonly platform: string;
  constructor(platform: string, message: string) {
    super(message);
    this.platform = platform;
  }
}
