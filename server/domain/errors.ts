/**
 * The error vocabulary of the domain (issue #16): the few ways a request can fail that the person
 * asking should hear about. Services throw these; one mapper (server/platform/http/problems.ts)
 * turns each kind into a status and a page, or a JSON problem under /api/. Anything a viewer may
 * not see is `notFound`, exactly like something that does not exist (R14).
 */
export type ErrorKind = 'notFound' | 'conflict' | 'invalid' | 'unprocessable' | 'forbidden' | 'tooMany' | 'unavailable';

export interface ErrorDetails {
  /** The catalogue keys of the error page's title and text, where the kind's defaults do not fit. */
  titleKey?: string;
  bodyKey?: string;
  /** The form field an `invalid` error is about, and the catalogue key of its message. */
  field?: string;
  messageKey?: string;
  /** Why a conflict happened, for the page that explains it (a meeting's state, a closed vote). */
  reason?: string;
  /** Logged as an error for an admin to act on (a file missing from storage), with ids only. */
  alert?: string;
  context?: Record<string, string>;
}

export class DomainError extends Error {
  constructor(
    public readonly kind: ErrorKind,
    public readonly details: ErrorDetails = {},
    message: string = kind,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** Not there, or not there for this viewer. */
export class NotFound extends DomainError {
  constructor(message = 'not found', details: ErrorDetails = {}) {
    super('notFound', details, message);
    this.name = 'NotFound';
  }
}

/** The thing changed since it was read, or is in a state that does not allow this: nothing was changed. */
export class Conflict extends DomainError {
  constructor(message = 'conflict', details: ErrorDetails = {}) {
    super('conflict', details, message);
    this.name = 'Conflict';
  }
}

/** A value of the request that only the service can judge (an unknown category): a field error. */
export class InvalidField extends DomainError {
  constructor(
    public readonly field: string,
    messageKey = 'validation.choose',
  ) {
    super('invalid', { field, messageKey }, `invalid ${field}`);
    this.name = 'InvalidField';
  }
}

/** Well-formed but not acceptable as a whole (an idempotency key reused for another request). */
export class Unprocessable extends DomainError {
  constructor(messageKey: string) {
    super('unprocessable', { messageKey }, 'unprocessable');
    this.name = 'Unprocessable';
  }
}

/** A role-level refusal that answers 403 (a form without its token); a hidden object is NotFound instead. */
export class Forbidden extends DomainError {
  constructor(details: ErrorDetails = {}) {
    super('forbidden', details, 'forbidden');
    this.name = 'Forbidden';
  }
}

/** One client asked too often (#15 item 6): what it was, for the page that says when to try again. */
export class TooMany extends DomainError {
  constructor(public readonly what: string) {
    super('tooMany', { bodyKey: `errors.tooMany.${what}` }, `too many ${what}`);
    this.name = 'TooMany';
  }
}

/** The database cannot answer now. */
export class Unavailable extends DomainError {
  constructor() {
    super('unavailable', {}, 'unavailable');
    this.name = 'Unavailable';
  }
}

export const notFound = () => new NotFound();

export const databaseUnavailable = () => new Unavailable();

/** A form without its token (R13), or with one from another session: nothing was changed. */
export const formExpired = () =>
  new Forbidden({ titleKey: 'errors.formExpiredTitle', bodyKey: 'errors.formExpiredBody' });
