import type { ZodError } from 'zod';

/**
 * An error the user can act on: a stable code for the client, an HTTP status, and a message
 * that says what was wrong and where (`field` names the offending input, when there is one).
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: 400 | 401 | 403 | 404 | 409 | 422 = 400,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** The first problem a zod schema found, as a 400 naming the field path. */
export function invalidInput(error: ZodError): DomainError {
  const issue = error.issues[0]!;
  const field = issue.path.join('.') || undefined;
  return new DomainError('invalid_input', field ? `${field}: ${issue.message}` : issue.message, 400, field);
}
