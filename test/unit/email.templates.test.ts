import { expect } from 'chai';
import { createTranslator, LANGUAGES } from '../../server/platform/i18n.js';
import { TEMPLATE_NAMES, renderEmail, type EmailTemplates } from '../../server/platform/mail/email.templates.js';

const SAMPLES: EmailTemplates = {
  complaintReceived: { trackingNumber: 'OC-7K4P-9Q2M', statusUrl: 'https://example.gov/status' },
  receiptCopy: {
    trackingNumber: 'OC-7K4P-9Q2M',
    receivedOn: '2026-11-26',
    acknowledgeBy: '2026-12-03',
    statusUrl: 'https://example.gov/status',
  },
  stageChanged: { trackingNumber: 'OC-7K4P-9Q2M', stage: 'boardReview', statusUrl: 'https://example.gov/status' },
  staffNotice: { trackingNumber: 'OC-7K4P-9Q2M', about: 'withdrawal', caseUrl: 'https://example.gov/cases/1' },
  deadlineWarning: { trackingNumber: 'OC-7K4P-9Q2M', deadline: 'investigation', dueDate: '2026-12-01', caseUrl: 'u' },
  deadlineBreached: { trackingNumber: 'OC-7K4P-9Q2M', deadline: 'statutory', dueDate: '2026-12-01', caseUrl: 'u' },
  decisionLetter: {
    trackingNumber: 'OC-7K4P-9Q2M',
    findings: [
      { category: 'Force', finding: 'sustained' },
      { category: 'Discourtesy', finding: 'not_sustained' },
    ],
    reconsiderationLastDay: '2026-12-31',
    statusUrl: 'https://example.gov/status',
  },
  passwordLink: { link: 'https://example.gov/staff/password/abc' },
  surveyInvitation: {
    trackingNumber: 'OC-7K4P-9Q2M',
    surveyUrl: 'https://example.gov/survey/q8Zr3kX9vLmN2pQ7tY5wA1bC4dE6fG0hJ2kL4mN6pQ8',
    validDays: 90,
  },
  adminAlert: {
    alert: 'storageLow',
    detail: '812 MB free for uploads, below the floor of 1024 MB.',
    adminUrl: 'https://example.gov/staff/admin',
  },
  auditCheckpoint: { checkpoint: '{"id":12,"hash":"ab","count":12,"at":"2026-12-07T00:00:00.000Z"}' },
};

describe('email templates', () => {
  const translator = createTranslator();
  for (const template of TEMPLATE_NAMES) {
    for (const language of LANGUAGES) {
      it(`${template} renders completely in ${language}`, () => {
        const email = renderEmail(translator, template, language, SAMPLES[template], 'Test Board');
        const sample = SAMPLES[template] as { trackingNumber?: string; link?: string };
        if (sample.trackingNumber) expect(email.subject).to.contain(sample.trackingNumber);
        else expect(email.subject).to.contain('Test Board');
        if (sample.link) expect(email.text).to.contain(sample.link);
        expect(`${email.subject}\n${email.text}`).not.to.match(/{{|}}|\b(email|publicStage|deadline)\.[a-zA-Z]/);
        expect(email.text).to.contain('Test Board');
      });
    }
  }

  it('never asks for an access code to be sent', () => {
    const received = renderEmail(translator, 'complaintReceived', 'en', SAMPLES.complaintReceived, 'B');
    expect(received.text).to.match(/never send the access code/);
  });

  it('copies a receipt with its days written out, how to follow it, and no access code (#17 item 4)', () => {
    const en = renderEmail(translator, 'receiptCopy', 'en', SAMPLES.receiptCopy, 'B');
    expect(en.text).to.contain('OC-7K4P-9Q2M').and.contain('November 26, 2026').and.contain('by December 3, 2026');
    expect(en.text)
      .to.contain('https://example.gov/status')
      .and.match(/does not include the access code/);
    const es = renderEmail(translator, 'receiptCopy', 'es', SAMPLES.receiptCopy, 'B');
    expect(es.text).to.contain('26 de noviembre de 2026').and.contain('3 de diciembre de 2026');
    const noClock = renderEmail(translator, 'receiptCopy', 'en', { ...SAMPLES.receiptCopy, acknowledgeBy: '' }, 'B');
    expect(noClock.text).to.contain('We will confirm that we received your complaint.').and.not.contain('December');
  });

  it("invites to the closing survey with its link, in the reader's language, from the survey catalogue", () => {
    for (const language of LANGUAGES) {
      const email = renderEmail(translator, 'surveyInvitation', language, SAMPLES.surveyInvitation, 'B');
      expect(email.text).to.contain(SAMPLES.surveyInvitation.surveyUrl).and.contain('90');
      expect(email.text).not.to.match(/survey\.email/);
    }
    const es = renderEmail(translator, 'surveyInvitation', 'es', SAMPLES.surveyInvitation, 'B');
    expect(es.subject).to.contain('encuesta');
  });

  it("writes a deadline's last day as a day in the reader's language, not as 2026-12-01 (#17)", () => {
    for (const template of ['deadlineWarning', 'deadlineBreached'] as const) {
      const en = renderEmail(translator, template, 'en', SAMPLES[template], 'B');
      expect(en.text).to.contain('December 1, 2026').and.not.contain('2026-12-01');
      const es = renderEmail(translator, template, 'es', SAMPLES[template], 'B');
      expect(es.text).to.contain('1 de diciembre de 2026').and.not.contain('2026-12-01');
    }
  });

  it("lists each finding of a decision in the reader's words, with the last day to ask again", () => {
    const es = renderEmail(translator, 'decisionLetter', 'es', SAMPLES.decisionLetter, 'B');
    expect(es.text).to.contain('- Force: Fundada').and.contain('31 de diciembre de 2026').and.not.contain('finding.');
    const en = renderEmail(translator, 'decisionLetter', 'en', SAMPLES.decisionLetter, 'B');
    expect(en.text).to.contain('- Force: Sustained\n- Discourtesy: Not sustained').and.contain('December 31, 2026');
  });
});
