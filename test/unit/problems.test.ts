import { expect } from 'chai';
import type { DomainError } from '../../server/domain/errors.js';
import {
  Conflict,
  Forbidden,
  InvalidField,
  NotFound,
  TooMany,
  Unavailable,
  Unprocessable,
  formExpired,
} from '../../server/domain/errors.js';
import { classify, showsOnPage } from '../../server/platform/http/problems.js';
import { IllegalTransition } from '../../workflows/complaint.snapshot.js';

describe('the one error mapper (#16 item 2)', () => {
  it('maps each kind of domain error to its status and code', () => {
    const cases: Array<[DomainError, number, string]> = [
      [new NotFound(), 404, 'notFound'],
      [new Conflict(), 409, 'conflict'],
      [new InvalidField('district'), 400, 'invalid'],
      [new Unprocessable('api.idempotencyKeyReused'), 422, 'unprocessable'],
      [new Forbidden(), 403, 'forbidden'],
      [new TooMany('filing'), 429, 'tooMany'],
      [new Unavailable(), 503, 'unavailable'],
    ];
    for (const [error, status, code] of cases) expect(classify(error)).to.include({ status, code });
  });

  it('keeps what a page needs to explain itself: the field, its message, the keys of the page', () => {
    expect(classify(new InvalidField('userId', 'apiTokens.form.userRequired'))).to.include({
      field: 'userId',
      messageKey: 'apiTokens.form.userRequired',
    });
    expect(classify(new TooMany('draft'))).to.include({ bodyKey: 'errors.tooMany.draft' });
    expect(classify(formExpired())).to.include({ status: 403, titleKey: 'errors.formExpiredTitle' });
  });

  it("answers the workflow's illegal transition as a conflict", () => {
    expect(classify(new IllegalTransition('closed', 'ASSIGN'))).to.include({ status: 409, code: 'conflict' });
  });

  it('maps what is not ours by its nature: a full disk, a bad value, a parser status, and a bug', () => {
    expect(classify(Object.assign(new Error('x'), { code: 'ENOSPC' }))).to.include({ status: 507 });
    expect(classify(Object.assign(new Error('x'), { code: '22P02' }))).to.include({ status: 400 });
    expect(classify(Object.assign(new Error('x'), { status: 413 }))).to.include({ status: 413, code: 'tooLarge' });
    expect(classify(Object.assign(new Error('x'), { status: 404 }))).to.include({ status: 404, code: 'notFound' });
    expect(classify(new Error('a bug'))).to.include({ status: 500, code: 'serverError' });
    expect(classify('not even an error')).to.include({ status: 500 });
  });

  it('lets a form show a conflict or a refused field itself, and nothing else', () => {
    expect(showsOnPage(classify(new Conflict()))).to.equal(true);
    expect(showsOnPage(classify(new InvalidField('category')))).to.equal(true);
    expect(showsOnPage(classify(new NotFound()))).to.equal(false);
    expect(showsOnPage(classify(new Error('bug')))).to.equal(false);
  });
});
