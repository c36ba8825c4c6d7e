import { expect } from 'chai';
import { delayFor, judge, MAX_DELAY_MS, type ThrottlePolicy } from '../../server/platform/security/throttle.js';

const POLICY: ThrottlePolicy = {
  name: 't',
  lockAfter: 5,
  lockMs: 15 * 60_000,
  slowSubjectAfter: 10,
  slowClientAfter: 20,
  windowMs: 15 * 60_000,
};

describe('throttling guesses (R7)', () => {
  it('waits longer as failures grow past a threshold, up to a cap, and not at all before it', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 50].map(delayFor)).to.deep.equal([0, 250, 500, 1000, 2000, 4000, 5000, 5000]);
    expect(delayFor(-3)).to.equal(0);
    expect(delayFor(1000)).to.equal(MAX_DELAY_MS);
  });

  it('locks only the pair of client and subject, from the attempt past the limit', () => {
    expect(judge(POLICY, { pair: 4, subject: 4, client: 4 })).to.deep.equal({
      locked: false,
      lockedNow: false,
      delayMs: 0,
    });
    expect(judge(POLICY, { pair: 5, subject: 5, client: 5 })).to.include({ locked: false, lockedNow: true });
    expect(judge(POLICY, { pair: 6, subject: 6, client: 6 })).to.include({ locked: true, lockedNow: false });
  });

  it('slows every attempt on a subject tried from many clients, and a client trying many subjects, never locking them', () => {
    expect(judge(POLICY, { pair: 1, subject: 12, client: 1 })).to.deep.equal({
      locked: false,
      lockedNow: false,
      delayMs: 500,
    });
    expect(judge(POLICY, { pair: 1, subject: 1, client: 23 })).to.deep.equal({
      locked: false,
      lockedNow: false,
      delayMs: 1000,
    });
    expect(judge(POLICY, { pair: 1, subject: 12, client: 23 }).delayMs).to.equal(1000);
  });
});
