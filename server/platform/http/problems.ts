/**
 * The one error mapper (issue #16): what an error means to the person who made the request, as a
 * status and the catalogue keys of its page or JSON problem. Domain errors map by kind; the
 * workflow's illegal transition is a conflict; the rest are the platform's own failures (the
 * database down, the disk full, a body Express could not parse). Expected failures are not 500s.
 */
import type { Request } from 'express';
import { DomainError, type ErrorKind } from '../../domain/errors.js';
import { IllegalTransition } from '../../../workflows/complaint.snapshot.js';
import { isDatabaseUnavailable } from '../db/errors.js';

export interface Problem {
  status: number;
  /** A stable word for programs reading the JSON problem. */
  code: string;
  titleKey: string;
  bodyKey: string;
  field?: string | undefined;
  messageKey?: string | undefined;
  reason?: string | undefined;
}

const KINDS: Record<ErrorKind, Omit<Problem, 'code'>> = {
  notFound: { status: 404, titleKey: 'errors.notFoundTitle', bodyKey: 'errors.notFoundBody' },
  conflict: { status: 409, titleKey: 'errors.conflictTitle', bodyKey: 'errors.conflictBody' },
  invalid: { status: 400, titleKey: 'errors.badRequestTitle', bodyKey: 'errors.badRequestBody' },
  unprocessable: { status: 422, titleKey: 'errors.badRequestTitle', bodyKey: 'errors.badRequestBody' },
  forbidden: { status: 403, titleKey: 'errors.formExpiredTitle', bodyKey: 'errors.formExpiredBody' },
  tooMany: { status: 429, titleKey: 'errors.tooManyTitle', bodyKey: 'errors.tooManyTitle' },
  unavailable: { status: 503, titleKey: 'errors.unavailableTitle', bodyKey: 'errors.unavailableBody' },
};

/** The problem of a kind, with the details that differ from its defaults. */
export const problemOf = (kind: ErrorKind, details: Partial<Problem> = {}): Problem => ({
  ...KINDS[kind],
  code: kind,
  ...Object.fromEntries(Object.entries(details).filter(([, value]) => value !== undefined)),
});

const BAD_REQUEST = problemOf('invalid', { code: 'badRequest' });
const TOO_LARGE = problemOf('invalid', {
  status: 413,
  code: 'tooLarge',
  titleKey: 'errors.tooLargeTitle',
  bodyKey: 'errors.tooLargeBody',
});
const UNSUPPORTED = problemOf('invalid', {
  status: 415,
  code: 'unsupported',
  titleKey: 'errors.unsupportedTitle',
  bodyKey: 'errors.unsupportedBody',
});
/** Out of disk for uploads: nothing was kept, and an admin must make room (#15 item 6). */
const STORAGE_FULL = problemOf('unavailable', {
  status: 507,
  code: 'storageFull',
  titleKey: 'errors.storageFullTitle',
  bodyKey: 'errors.storageFullBody',
});
const SERVER_ERROR: Problem = {
  status: 500,
  code: 'serverError',
  titleKey: 'errors.serverErrorTitle',
  bodyKey: 'errors.serverErrorBody',
};

/** A request that failed its schema: the fields at fault are listed with the problem. */
export const invalidRequest = problemOf('invalid', { messageKey: 'errors.invalidRequest' });

export function classify(error: unknown): Problem {
  if (error instanceof DomainError) return problemOf(error.kind, error.details);
  if (error instanceof IllegalTransition) return problemOf('conflict');
  if ((error as NodeJS.ErrnoException | undefined)?.code === 'ENOSPC') return STORAGE_FULL;
  if (isDatabaseUnavailable(error)) return problemOf('unavailable');
  // SQLSTATE class 22 (data exception: a malformed id, a value out of range) is the request's fault.
  if (sqlState(error)?.startsWith('22')) return BAD_REQUEST;
  const status = (error as { status?: unknown; statusCode?: unknown } | null)?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    if (status === 404) return problemOf('notFound');
    if (status === 413) return TOO_LARGE;
    if (status === 415) return UNSUPPORTED;
    return { ...BAD_REQUEST, status };
  }
  return SERVER_ERROR;
}

const ON_PAGE: readonly ErrorKind[] = ['conflict', 'invalid', 'unprocessable'];

/** A problem the page that was sent can show itself (a field error, a conflict), rather than an error page. */
export function showsOnPage(problem: Problem, kinds: readonly ErrorKind[] = ON_PAGE): boolean {
  return (kinds as readonly string[]).includes(problem.code);
}

/**
 * For a form's route: do the work, and if it fails in a way the form can show (a conflict, a
 * field the service refused), render the form with it; anything else goes on to the error page.
 */
export async function orShowOnPage(
  work: () => Promise<unknown>,
  show: (problem: Problem) => unknown,
  kinds: readonly ErrorKind[] = ON_PAGE,
): Promise<void> {
  try {
    await work();
  } catch (error) {
    const found = classify(error);
    if (!showsOnPage(found, kinds)) throw error;
    await show(found);
  }
}

/** The field errors of a problem the form shows, in the reader's language. */
export function fieldMessages(req: Request, problem: Problem): Array<{ field: string; text: string }> {
  return problem.field ? [{ field: problem.field, text: req.t(problem.messageKey ?? 'validation.choose') }] : [];
}

export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/**
 * Only what helps find the bug, for the log. A database error's message and detail can quote the
 * values of a row (a name, a narrative), so for those only the SQLSTATE, constraint and routine are
 * kept; where any message could quote content (a stream of open data), `withMessage: false` keeps
 * only the error's name and code.
 */
export function describeError(error: unknown, { withMessage = true } = {}) {
  if (!(error instanceof Error)) return { message: 'non-error thrown' };
  const code = (error as { code?: unknown }).code;
  if (!withMessage) return { name: error.name, ...(typeof code === 'string' ? { code } : {}) };
  const state = sqlState(error);
  if (state) {
    const { constraint, routine } = error as { constraint?: string; routine?: string };
    return { name: error.name, code: state, constraint, routine };
  }
  return { name: error.name, message: error.message, stack: error.stack };
}
