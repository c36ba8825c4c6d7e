import { expect } from 'chai';
import { demoBanner } from '../../server/demo/demo.banner.js';
import type { DemoResult } from '../../server/demo/demo.service.js';

describe('the demo banner npm start prints (#17 item 13)', () => {
  const demo: DemoResult = {
    created: true,
    accounts: [
      { email: 'admin@example.org', roles: ['admin'] },
      { email: 'intake@example.org', roles: ['intake'] },
    ],
    password: 'abcde-fghij',
    complaints: 60,
  };
  const where = { publicBaseUrl: 'http://localhost:4123', mailCaptured: true };

  it('says, after the accounts and their password, where staff sign in, the admin’s second factor and the mail', () => {
    const text = demoBanner(demo, where).join('\n');
    const order = [
      'admin@example.org            admin',
      'intake@example.org           intake',
      'Password for all of them: abcde-fghij',
      'Staff sign in at http://localhost:4123/staff\n',
      'admin@example.org must set up two-step sign-in',
      'http://localhost:4123/staff/account/two-factor',
      'read it at http://localhost:4123/dev/mail',
    ].map((part) => text.indexOf(part));
    expect(order, text).not.to.include(-1);
    expect([...order].sort((a, b) => a - b)).to.deep.equal(order);
    expect(text).not.to.match(/intake@example\.org must/);
  });

  it('names /dev/mail only when mail is captured, and takes the public address as configured', () => {
    const sent = demoBanner(demo, { publicBaseUrl: 'https://oversight.example.gov/', mailCaptured: false }).join('\n');
    expect(sent).not.to.contain('/dev/mail');
    expect(sent).to.contain('Staff sign in at https://oversight.example.gov/staff\n');
  });

  it('does not print a password it did not set', () => {
    const { accounts } = demo;
    const text = demoBanner({ created: false, accounts }, where).join('\n');
    expect(text).not.to.contain('Password for all of them');
    expect(text).to.contain('set DEMO_PASSWORD to reset it');
    expect(text).to.contain('Staff sign in at http://localhost:4123/staff');
  });
});
