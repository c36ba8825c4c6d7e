import { InvalidField, TooMany, Unprocessable } from '../../domain/errors.js';

/** An idempotency key sent again with another body: the first complaint is not this one (HTTP 422). */
export class SubmissionKeyReused extends Unprocessable {
  constructor() {
    super('api.idempotencyKeyReused');
    this.name = 'SubmissionKeyReused';
  }
}

/** One client filed, or started, more than its limit in the hour (HTTP 429). */
export class TooManyFromClient extends TooMany {
  constructor(what: 'filing' | 'draft') {
    super(what);
    this.name = 'TooManyFromClient';
  }
}

/** A district or category that is not (or no longer) on the agency's list. */
export class UnknownChoice extends InvalidField {
  constructor(field: 'district' | 'categories') {
    super(field);
    this.name = 'UnknownChoice';
  }
}
