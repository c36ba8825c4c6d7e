/** An expected failure with the HTTP status it answers with and the catalogue keys of its page. */
export class HttpError extends Error {
  constructor(
    public readonly status: number,
    public readonly titleKey: string,
    public readonly bodyKey: string,
  ) {
    super(`HTTP ${status}`);
    this.name = 'HttpError';
  }
}

export const notFound = () => new HttpError(404, 'errors.notFoundTitle', 'errors.notFoundBody');

export const databaseUnavailable = () => new HttpError(503, 'errors.unavailableTitle', 'errors.unavailableBody');

/** A form without its token (R13), or with one from another session: nothing was changed. */
export const formExpired = () => new HttpError(403, 'errors.formExpiredTitle', 'errors.formExpiredBody');
