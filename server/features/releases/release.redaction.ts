/**
 * Taking identities out of a complaint's narrative for a public-records release. Free text cannot
 * be redacted reliably by a program, so staff include a narrative only as an explicit choice and
 * must read it before release (the form says so); this is the safety net under that review. Out
 * go: every name, email, phone, address and contact of the case's complainants, filers and
 * witnesses as stored (each whole, and each word of a name), the roster name and badge number of
 * each officer of the case whom the release does not name, and anything shaped like an email
 * address or a North American phone number, whoever's it is.
 */

/** A narrative in pieces: text to print, and the places where something was withheld. */
export type NarrativePart = { text: string } | { withheld: true };

export interface Identity {
  name: string | null;
  contact: string | null;
  email: string | null;
  phone: string | null;
  address: string | null;
}

const EMAIL = String.raw`[^\s@<>()"',;:]+@[^\s@<>()"',;:]+\.[\p{L}\p{N}-]+`;
const PHONE = String.raw`(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}|\d{3}[\s.-]\d{4}`;
/** A name's words of at least two letters: "J." alone says nothing, "Jo" does. */
const NAME_WORD = /[\p{L}][\p{L}'’-]+/gu;
/** Particles of names that are everyday words too: taking them out everywhere would blank the text. */
const PARTICLES = new Set(['da', 'de', 'del', 'der', 'di', 'du', 'el', 'la', 'las', 'le', 'los', 'st', 'van', 'von']);

/** An officer of the roster as a person to take out: the name (whole, and each word) and the badge number. */
export function officerIdentity(officer: {
  firstName: string | null;
  lastName: string | null;
  badgeNumber: string | null;
}): Identity {
  const name = [officer.firstName, officer.lastName].filter(Boolean).join(' ');
  return { name: name || null, contact: officer.badgeNumber, email: null, phone: null, address: null };
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The strings to take out for these people: whole values, and each word of their names. */
export function identityTerms(people: Identity[]): string[] {
  const terms = new Set<string>();
  for (const person of people) {
    for (const value of [person.name, person.contact, person.email, person.phone, person.address]) {
      const whole = value?.trim();
      if (whole) terms.add(whole);
    }
    for (const word of person.name?.match(NAME_WORD) ?? []) if (!PARTICLES.has(word.toLowerCase())) terms.add(word);
    // An address is often written in part: its street line, its town.
    for (const part of person.address?.split(/[,\n]/) ?? []) if (part.trim().length >= 4) terms.add(part.trim());
  }
  // Longest first, so a whole name goes before its words.
  return [...terms].sort((a, b) => b.length - a.length);
}

export function withholdIdentities(narrative: string, people: Identity[]): NarrativePart[] {
  const known = identityTerms(people).map(escape);
  const words = known.length ? [String.raw`(?<![\p{L}\p{N}])(?:${known.join('|')})(?![\p{L}\p{N}])`] : [];
  const pattern = new RegExp([...words, EMAIL, String.raw`(?<!\d)(?:${PHONE})(?!\d)`].join('|'), 'giu');
  const parts: NarrativePart[] = [];
  let at = 0;
  for (const match of narrative.matchAll(pattern)) {
    if (match.index > at) parts.push({ text: narrative.slice(at, match.index) });
    parts.push({ withheld: true });
    at = match.index + match[0].length;
  }
  if (at < narrative.length) parts.push({ text: narrative.slice(at) });
  return parts;
}
