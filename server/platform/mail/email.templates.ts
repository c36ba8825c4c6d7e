import type { Language, Translator } from '../i18n.js';
import type { PublicStage } from '../../../workflows/complaint.types.js';
import { formatDay } from '../dates.js';

/** The closed set of emails this system sends, each with the data it needs (no narrative, ever). */
export interface EmailTemplates {
  complaintReceived: { trackingNumber: string; statusUrl: string };
  /**
   * A copy of the receipt, asked for on the receipt page (#17 item 4): days as 'YYYY-MM-DD' in the
   * agency's zone, acknowledgeBy '' when no clock runs. Never the access code.
   */
  receiptCopy: { trackingNumber: string; receivedOn: string; acknowledgeBy: string; statusUrl: string };
  stageChanged: { trackingNumber: string; stage: PublicStage; statusUrl: string };
  staffNotice: {
    trackingNumber: string;
    about: 'assignment' | 'withdrawal' | 'reconsideration' | 'information' | 'contact';
    caseUrl: string;
  };
  deadlineWarning: { trackingNumber: string; deadline: string; dueDate: string; caseUrl: string };
  deadlineBreached: { trackingNumber: string; deadline: string; dueDate: string; caseUrl: string };
  /**
   * To the complainant when the board decides: the finding of each allegation (category names
   * already in the recipient's language), and the last day to ask for reconsideration.
   */
  decisionLetter: {
    trackingNumber: string;
    findings: Array<{ category: string; finding: string }>;
    reconsiderationLastDay: string;
    statusUrl: string;
  };
  /** To a member of staff: a one-time link to set their password, issued by an admin. */
  passwordLink: { link: string };
  /** To every admin: something an operator must act on (#15 items 6, 17), at most hourly per kind. */
  adminAlert: { alert: AlertKind; detail: string; adminUrl: string };
  /** To the configured address: the audit chain's head, kept where the database cannot rewrite it. */
  auditCheckpoint: { checkpoint: string };
  /** To the complainant when the case closes: the closing survey's single-use link (issue #7). */
  surveyInvitation: { trackingNumber: string; surveyUrl: string; validDays: number };
}

export type TemplateName = keyof EmailTemplates;
export const TEMPLATE_NAMES: readonly TemplateName[] = [
  'complaintReceived',
  'receiptCopy',
  'stageChanged',
  'staffNotice',
  'deadlineWarning',
  'deadlineBreached',
  'decisionLetter',
  'passwordLink',
  'surveyInvitation',
  'adminAlert',
  'auditCheckpoint',
];

/** What admins are alerted to. */
export type AlertKind = 'storageLow' | 'sweeperStalled' | 'deadLetters' | 'auditFailed';

/** Where a template's subject and body sit in the catalogue: email.<template>, unless its area keeps them. */
const CATALOGUE_BASE: Partial<Record<TemplateName, string>> = { surveyInvitation: 'survey.email' };

export interface RenderedEmail {
  subject: string;
  text: string;
}

/**
 * Renders from the translation catalogue (email.<template>.subject/body), in the recipient's
 * language. Values that are themselves catalogue keys (a stage, a notice) are translated first.
 */
export function renderEmail<T extends TemplateName>(
  translator: Translator,
  template: T,
  language: Language,
  data: EmailTemplates[T],
  agencyName: string,
): RenderedEmail {
  const t = translator.t(language);
  const values: Record<string, string> = { ...(data as Record<string, string>), agency: agencyName };
  const base = CATALOGUE_BASE[template] ?? `email.${template}`;
  if ('stage' in data) values['stageName'] = t(`publicStage.${data.stage}`);
  if ('alert' in data) values['alertName'] = t(`email.adminAlert.kind.${data.alert}`);
  if ('about' in data) values['aboutText'] = t(`email.staffNotice.about.${data.about}`);
  if ('deadline' in data) values['deadlineName'] = t(`deadline.${data.deadline}`);
  // Calendar days, written as the reader reads them (never through a time zone).
  if ('reconsiderationLastDay' in data)
    values['reconsiderationDate'] = formatDay(data.reconsiderationLastDay, language);
  if ('dueDate' in data) values['dueDate'] = formatDay(data.dueDate, language);
  if ('receivedOn' in data) {
    values['receivedDate'] = formatDay(data.receivedOn, language);
    values['acknowledgeText'] = data.acknowledgeBy
      ? t(`${base}.acknowledgeBy`, { date: formatDay(data.acknowledgeBy, language) })
      : t(`${base}.acknowledge`);
  }
  if ('findings' in data) {
    values['findingsText'] = data.findings.map((f) => `- ${f.category}: ${t(`finding.${f.finding}`)}`).join('\n');
  }
  return {
    subject: t(`${base}.subject`, values),
    text: `${t(`${base}.body`, values)}\n\n${t('email.signature', values)}\n`,
  };
}
