import { expect } from 'chai';
import { createTranslator, LANGUAGES } from '../server/i18n.js';
import { TEMPLATE_NAMES, renderEmail, type EmailTemplates } from '../server/services/email.templates.js';

const SAMPLES: EmailTemplates = {
  complaintReceived: { trackingNumber: 'OC-7K4P-9Q2M', statusUrl: 'https://example.gov/status' },
  stageChanged: { trackingNumber: 'OC-7K4P-9Q2M', stage: 'boardReview', statusUrl: 'https://example.gov/status' },
  staffNotice: { trackingNumber: 'OC-7K4P-9Q2M', about: 'withdrawal', caseUrl: 'https://example.gov/cases/1' },
  deadlineWarning: { trackingNumber: 'OC-7K4P-9Q2M', deadline: 'investigation', dueDate: '2026-12-01', caseUrl: 'u' },
  deadlineBreached: { trackingNumber: 'OC-7K4P-9Q2M', deadline: 'statutory', dueDate: '2026-12-01', caseUrl: 'u' },
  passwordLink: { link: 'https://example.gov/staff/password/abc' },
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
});
