/**
 * "Check your answers" (#17 item 7): every answer the form collects, step by step, in the reader's
 * language, for views/pages/complaint/check.njk. A calendar day is written by formatDay (no time zone
 * can move it); a choice by its label; a list as a list.
 */

import type { Choice } from '../../platform/reference/reference.service.js';
import { formatDay } from '../../platform/dates.js';
import type { Language, Translate } from '../../platform/i18n.js';
import type { DraftData } from './intake.service.js';
import type { Step } from './complaintForm.steps.js';

export interface CheckRow {
  label: string;
  /** The answer's anchor for the error summary (#field-…): the complaint's field, dots as dashes. */
  anchor: string;
  /** Where it is changed: the step, at its field when the step has one. */
  href: string;
  text?: string | undefined;
  lines?: string[] | undefined;
  /** Text typed on several lines (what happened, an address), shown with its line breaks. */
  multiline?: boolean;
}

export interface CheckSection {
  title: string;
  rows: CheckRow[];
}

type Answers = Record<string, Record<string, unknown> | undefined>;

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value : undefined;
const list = (value: unknown): Record<string, unknown>[] =>
  Array.isArray(value) ? (value as Record<string, unknown>[]) : [];
const joined = (...parts: unknown[]) => parts.map(text).filter(Boolean).join(' · ');

/** The answers in three parts: the complaint, who is filing, the voluntary questions. */
export function checkAnswers(
  draft: DraftData,
  lists: { districts: Choice[]; categories: Choice[] },
  t: Translate,
  language: Language,
): CheckSection[] {
  const a = draft.answers as Answers;
  type Row = Omit<CheckRow, 'href'> & { step: Exclude<Step, 'check'>; input?: string };
  const rows = (entries: Row[]): CheckRow[] =>
    entries.map(({ step, input, ...row }) => ({
      ...row,
      href: `/complaint/${step}?from=check${input ? `#field-${input}` : ''}`,
    }));
  const choice = (prefix: string, value: unknown) => (text(value) ? t(`${prefix}.${String(value)}`) : undefined);
  const labelOf = (choices: Choice[], value: unknown) => choices.find((c) => c.value === value)?.label;

  const what = a['what'] ?? {};
  const ww = a['when-where'] ?? {};
  const day = text(ww['incidentDate']);
  const officers = a['officers'] ?? {};
  const chosen = list((a['kind'] ?? {})['categories']) as unknown[];
  const complaint = rows([
    {
      step: 'what',
      label: t('complaint.what.narrative'),
      anchor: 'narrative',
      input: 'narrative',
      text: text(what['narrative']),
      multiline: true,
    },
    {
      step: 'when-where',
      label: t('complaint.whenWhere.date'),
      anchor: 'incidentDate',
      input: 'incidentDate',
      text: day && formatDay(day, language),
    },
    {
      step: 'when-where',
      label: t('complaint.whenWhere.time'),
      anchor: 'incidentTime',
      input: 'incidentTime',
      text: text(ww['incidentTime']),
    },
    {
      step: 'when-where',
      label: t('complaint.whenWhere.location'),
      anchor: 'location',
      input: 'location',
      text: text(ww['location']),
      multiline: true,
    },
    {
      step: 'when-where',
      label: t('complaint.whenWhere.district'),
      anchor: 'district',
      input: 'district',
      text: labelOf(lists.districts, ww['district']) ?? text(ww['district']),
    },
    {
      step: 'officers',
      label: t('complaint.officers.title'),
      anchor: 'officers',
      lines: [
        ...list(officers['officers']).map((o) =>
          joined(
            o['name'],
            text(o['badgeNumber']) && t('complaint.check.badge', { badge: o['badgeNumber'] }),
            o['description'],
          ),
        ),
        ...(officers['officersUnknown'] === true ? [t('complaint.officers.unknown')] : []),
      ],
    },
    {
      step: 'kind',
      label: t('complaint.kind.title'),
      anchor: 'categories',
      input: 'categories',
      // In the agency's order; a code no longer on its list (refused when sent) as it is.
      lines: [
        ...lists.categories.filter((c) => chosen.includes(c.value)).map((c) => c.label),
        ...chosen.filter((v) => !labelOf(lists.categories, v)).map(String),
      ],
    },
    {
      step: 'witnesses',
      label: t('complaint.witnesses.title'),
      anchor: 'witnesses',
      lines: list((a['witnesses'] ?? {})['witnesses']).map((w) => joined(w['name'], w['contact'], w['description'])),
    },
    {
      step: 'evidence',
      label: t('complaint.evidence.title'),
      anchor: 'evidence',
      lines: draft.evidence.map(
        (f) => `${f.originalName} (${t('complaint.evidence.size', { kb: Math.ceil(f.sizeBytes / 1024) })})`,
      ),
    },
  ]);

  const about = a['about-you'] ?? {};
  const filing = text(about['filing']);
  const aboutRow = (field: string, label: string, value: string | undefined, multiline = false): Row => ({
    step: 'about-you',
    label: t(label),
    anchor: `about-${field}`,
    input: field,
    text: value,
    multiline,
  });
  const aboutYou = rows([
    {
      ...aboutRow('filing', 'complaint.about.filingLegend', choice('complaint.about.filing', filing)),
      anchor: 'about',
    },
    ...(filing && filing !== 'anonymous'
      ? [
          aboutRow('name', 'complaint.about.name', text(about['name'])),
          aboutRow('email', 'complaint.about.email', text(about['email'])),
          aboutRow('phone', 'complaint.about.phone', text(about['phone'])),
          aboutRow('address', 'complaint.about.address', text(about['address']), true),
          aboutRow(
            'preferredContact',
            'complaint.about.contactLegend',
            choice('complaint.about.contact', about['preferredContact']),
          ),
        ]
      : []),
    aboutRow(
      'preferredLanguage',
      'complaint.about.languageLegend',
      choice('complaint.languages', about['preferredLanguage']),
    ),
    ...(filing === 'someone_else'
      ? [
          aboutRow('relationship', 'complaint.about.relationship', text(about['relationship'])),
          aboutRow('theirName', 'complaint.about.theirName', text(about['theirName'])),
          aboutRow('theirEmail', 'complaint.about.theirEmail', text(about['theirEmail'])),
          aboutRow('theirPhone', 'complaint.about.theirPhone', text(about['theirPhone'])),
        ]
      : []),
  ]);

  const demographics = a['demographics'] ?? {};
  const demographicRow = (field: string, label: string, value: Pick<CheckRow, 'text' | 'lines'>): Row => ({
    step: 'demographics',
    label: t(label),
    anchor: `demographics-${field}`,
    input: field,
    ...value,
  });
  const races = list(demographics['races']) as unknown[];
  const aboutThem = rows([
    demographicRow('ageRange', 'complaint.demographics.ageLegend', {
      text: choice('complaint.demographics.age', demographics['ageRange']),
    }),
    demographicRow('gender', 'complaint.demographics.genderLegend', {
      text: choice('complaint.demographics.gender', demographics['gender']),
    }),
    demographicRow('races', 'complaint.demographics.raceLegend', {
      lines: races.map((race) => t(`complaint.demographics.race.${String(race)}`)),
    }),
  ]);

  return [
    { title: t('complaint.check.complaintHeading'), rows: complaint },
    { title: t('complaint.about.title'), rows: aboutYou },
    { title: t('complaint.demographics.title'), rows: aboutThem },
  ];
}
