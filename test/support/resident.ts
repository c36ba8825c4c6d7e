import request from 'supertest';
import type { Express } from 'express';

/** Helpers that act as a resident in a browser without JavaScript: forms, cookies, redirects. */
export type Agent = ReturnType<typeof request.agent>;

export function csrfOf(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('no form token on the page');
  return token;
}

export function errorsOf(html: string): string[] {
  return [...html.matchAll(/<span class="usa-error-message"[^>]*>([^<]*)<\/span>/g)].map((m) => m[1]!.trim());
}

/** Starts a form and returns its token (one per draft). */
export async function startForm(agent: Agent, language: 'en' | 'es' = 'en'): Promise<string> {
  await agent.post(`/complaint/start?lang=${language}`).expect(303);
  const page = await agent.get('/complaint/what').expect(200);
  return csrfOf(page.text);
}

export const NAMED_ANSWERS: Record<string, Record<string, string | string[]>> = {
  what: { narrative: 'The officer shouted at me and pushed me against the car.' },
  'when-where': { incidentDate: '2026-10-01', incidentTime: 'about 9 pm', location: 'Main St and 3rd Ave' },
  officers: { officerName: 'Officer Smith', officerBadge: '4471', officerDescription: 'Tall, moustache' },
  kind: { categories: ['force', 'discourtesy'] },
  witnesses: { witnessName: 'Maria Lopez', witnessContact: '555-0100', witnessDescription: 'Saw the push' },
  'about-you': {
    filing: 'self',
    name: 'Ana Resident',
    email: 'ana@example.com',
    phone: '555 0101',
    preferredLanguage: 'en',
    preferredContact: 'email',
  },
  demographics: { ageRange: '25_34', races: ['hispanic'] },
};

/** A resident who files for herself in Spanish and wants email in Spanish. */
export const SPANISH_RESIDENT = {
  'about-you': {
    filing: 'self',
    name: 'Lucía',
    email: 'lucia@example.com',
    preferredLanguage: 'es',
    preferredContact: 'email',
  },
};

/** Answers every step (with `answers` overriding), sends the complaint and reads the receipt. */
export async function fileThroughForm(
  app: Express,
  options: { language?: 'en' | 'es'; answers?: Record<string, Record<string, string | string[]>>; agent?: Agent } = {},
) {
  const agent = options.agent ?? request.agent(app);
  const csrf = await startForm(agent, options.language);
  const answers = { ...NAMED_ANSWERS, ...options.answers };
  for (const [step, fields] of Object.entries(answers)) {
    await agent
      .post(`/complaint/${step}`)
      .type('form')
      .send({ _csrf: csrf, ...fields, action: 'continue' })
      .expect(303);
  }
  await agent.post('/complaint/check').type('form').send({ _csrf: csrf, consent: 'yes', truthful: 'yes' }).expect(303);
  const receipt = await agent.get('/complaint/receipt').expect(200);
  return { agent, csrf, html: receipt.text, ...receiptCodes(receipt.text) };
}

/** The codes on a receipt page, as their text reads (shown in groups of four, #17 item 4). */
export function receiptCodes(html: string) {
  const textOf = (id: string) =>
    new RegExp(`id="${id}"[^>]*>([\\s\\S]*?)</dd>`).exec(html)?.[1]?.replace(/<[^>]*>|\s/g, '') || undefined;
  const trackingNumber = textOf('tracking-number');
  const accessCode = textOf('access-code');
  if (!trackingNumber || !accessCode) throw new Error('no receipt on the page');
  return { trackingNumber, accessCode };
}

/** Decodes a raw SMTP message's quoted-printable text and encoded-word subject, enough to read it. */
export function readableMail(raw: string): string {
  const subjects = raw.replace(/=\?UTF-8\?Q\?([^?]*)\?=/gi, (_m, text: string) =>
    Buffer.from(
      text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, hex: string) => String.fromCharCode(parseInt(hex, 16))),
      'latin1',
    ).toString('utf8'),
  );
  const joined = subjects.replace(/=\r?\n/g, '');
  return Buffer.from(
    joined.replace(/=([0-9A-F]{2})/g, (_x, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    'latin1',
  ).toString('utf8');
}
