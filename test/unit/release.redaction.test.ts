import { expect } from 'chai';
import {
  identityTerms,
  withholdIdentities,
  type NarrativePart,
} from '../../server/features/releases/release.redaction.js';

const person = (p: Partial<Record<'name' | 'contact' | 'email' | 'phone' | 'address', string>>) => ({
  name: p.name ?? null,
  contact: p.contact ?? null,
  email: p.email ?? null,
  phone: p.phone ?? null,
  address: p.address ?? null,
});
const printed = (parts: NarrativePart[]) => parts.map((p) => ('text' in p ? p.text : '█')).join('');

describe("a release's narrative with identities taken out (#19 part 5)", () => {
  it('takes out the stored names whole and word by word, in any case, and their contact details', () => {
    const people = [
      person({ name: 'Ana María de la Cruz', email: 'ana@example.com', address: '12 Elm St, Oakdale' }),
      person({ name: 'Tom Ng', contact: 'tom.ng@example.org' }),
    ];
    const text =
      'ANA MARÍA DE LA CRUZ called. Later Ana said Ng saw it at 12 Elm St near Oakdale; tom.ng@example.org knows.';
    expect(printed(withholdIdentities(text, people))).to.equal('█ called. Later █ said █ saw it at █ near █; █ knows.');
  });

  it('keeps particles of names and parts of other words: "de" and "la" stay, "Anaheim" is not "Ana"', () => {
    const parts = withholdIdentities('Fue de noche en la calle de Anaheim.', [person({ name: 'Ana de la Cruz' })]);
    expect(printed(parts)).to.equal('Fue de noche en la calle de Anaheim.');
    expect(identityTerms([person({ name: 'Ana de la Cruz' })])).to.deep.equal(['Ana de la Cruz', 'Cruz', 'Ana']);
  });

  it("takes out whatever looks like an email address or a phone number, even when it is nobody's on record", () => {
    const text =
      'Mail x.y+z@mail.example.net, call (415) 555-0142, +1 415.555.0143 or 555-0144. On 2026-03-14 at 10:30.';
    expect(printed(withholdIdentities(text, []))).to.equal('Mail █, call █, █ or █. On 2026-03-14 at 10:30.');
  });

  it('leaves a narrative with nothing to take out as one piece of text', () => {
    expect(withholdIdentities('The officer shouted.', [person({ name: 'Zed' })])).to.deep.equal([
      { text: 'The officer shouted.' },
    ]);
  });
});
