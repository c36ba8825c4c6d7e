import type { Finding, Language, PublicStage, Stage } from '../../domain/vocabulary.js';
import type { PublicHistoryEntry, ReleaseOptions } from '../../platform/db/schema.js';
import { officerIdentity, withholdIdentities, type Identity, type NarrativePart } from './release.redaction.js';
import type * as content from './releaseContent.repository.js';
import type { listReleases } from './release.repository.js';

// A release as its pages read it: named fields, not table rows, and nothing of anyone's identity.

type Rows<K extends keyof typeof content> = Awaited<ReturnType<(typeof content)[K]>>;

/** Only cases past the board's decision (or closed without one) may be released, and printed. */
export const RELEASABLE = new Set<Stage>(['disposition', 'closed']);

/** A release as the list shows it (staff only: who made it, and the tracking numbers). */
export interface ReleaseSummary {
  id: string;
  reference: string;
  createdAt: Date;
  createdBy: string;
  options: ReleaseOptions;
  trackingNumbers: string[];
}

export interface ReleaseAllegationView {
  number: number;
  categoryName: string;
  finding: Finding | null;
  /** The roster's officer where the release names officers; else why not. */
  officer: { name: string; badgeNumber: string | null } | 'withheld' | 'unidentified';
}

/** One case of a release: a printed page of its own. */
export interface ReleaseCaseView {
  number: number;
  /** For staff on the screen; the printed page carries the record's number only. */
  trackingNumber: string;
  /** False once the case has been purged under the retention policy since the release. */
  held: boolean;
  /**
   * False once the case has left the stages a release may print (reopened, reconsidered): the
   * release prints it as it is now, so nothing of it is printed until it is decided again.
   */
  releasable: boolean;
  outcome: string | null;
  anonymous: boolean;
  witnesses: number;
  evidenceFiles: number;
  allegations: ReleaseAllegationView[] | null;
  timeline: Array<{ stage: PublicStage; at: Date }> | null;
  decision: { decidedAt: Date | null; tallies: Array<{ number: number; votesCast: number; votesFor: number }> } | null;
  narrative: NarrativePart[] | null;
}

export interface ReleaseView extends ReleaseSummary {
  /** The release includes narratives, but not for this viewer (who may not read every case). */
  narrativeHidden: boolean;
  cases: ReleaseCaseView[];
}

export const summaryView = (r: Awaited<ReturnType<typeof listReleases>>[number]): ReleaseSummary => ({
  id: r.id,
  reference: r.reference,
  createdAt: r.created_at,
  createdBy: r.display_name,
  options: r.options,
  trackingNumbers: r.tracking_numbers,
});

/** What the release reads of its cases, by case id. */
export interface ReleaseRows {
  cases: Rows<'releasedCases'>;
  allegations: Rows<'releasedAllegations'>;
  decisions: Rows<'boardDecisionsOf'>;
  identities: Rows<'identitiesOf'>;
}

function officerOf(a: Rows<'releasedAllegations'>[number], options: ReleaseOptions): ReleaseAllegationView['officer'] {
  if (a.officer_id === null) return 'unidentified';
  const named = options.officers === 'all' || (options.officers === 'sustained' && a.finding === 'sustained');
  if (!named) return 'withheld';
  const name = [a.rank, a.first_name, a.last_name].filter(Boolean).join(' ');
  return { name, badgeNumber: a.badge_number };
}

/** What a case of the release shows when nothing of it may be printed. */
const NOTHING = {
  outcome: null,
  anonymous: false,
  witnesses: 0,
  evidenceFiles: 0,
  allegations: null,
  timeline: null,
  decision: null,
  narrative: null,
} as const;

/** Each case of the release in its order, as much as the release's options include. */
export function caseViews(
  release: { case_ids: string[]; tracking_numbers: string[]; options: ReleaseOptions },
  rows: ReleaseRows,
  language: Language,
): ReleaseCaseView[] {
  const { options } = release;
  return release.case_ids.map((id, index) => {
    const row = rows.cases.find((c) => c.id === id);
    const allegations = rows.allegations.filter((a) => a.complaint_id === id);
    const numberOf = new Map(allegations.map((a, i) => [a.id, i + 1]));
    const decided = rows.decisions.filter((d) => d.complaint_id === id);
    const people: Identity[] = [
      ...rows.identities.filter((p) => p.complaint_id === id),
      // An officer whose name the release withholds on any allegation of the case is not named in its narrative either.
      ...allegations
        .filter((a) => officerOf(a, options) === 'withheld')
        .map((a) => officerIdentity({ firstName: a.first_name, lastName: a.last_name, badgeNumber: a.badge_number })),
    ];
    const heading = {
      number: index + 1,
      trackingNumber: release.tracking_numbers[index] ?? '',
      held: row !== undefined,
    };
    if (!row || !RELEASABLE.has(row.stage)) return { ...heading, releasable: false, ...NOTHING };
    return {
      ...heading,
      releasable: true,
      outcome: row.outcome,
      anonymous: row.anonymous,
      witnesses: Number(row.witnesses ?? 0),
      evidenceFiles: Number(row.evidence_files ?? 0),
      allegations: options.allegations
        ? allegations.map((a, i) => ({
            number: i + 1,
            categoryName: language === 'es' ? a.name_es : a.name_en,
            finding: a.finding,
            officer: officerOf(a, options),
          }))
        : null,
      timeline: options.timeline
        ? ((row.public_history ?? []) as PublicHistoryEntry[]).map((h) => ({ stage: h.stage, at: new Date(h.at) }))
        : null,
      decision:
        options.decision && decided.length > 0
          ? {
              decidedAt: decided[0]!.decided_at,
              tallies: decided
                .map((d) => ({
                  number: numberOf.get(d.allegation_id) ?? 0,
                  votesCast: d.votes_cast,
                  votesFor: d.votes_for,
                }))
                .sort((a, b) => a.number - b.number),
            }
          : null,
      narrative: options.narrative && row.narrative ? withholdIdentities(row.narrative, people) : null,
    };
  });
}
