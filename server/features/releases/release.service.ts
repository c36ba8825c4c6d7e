import { notFound } from '../../domain/errors.js';
import { isId } from '../../domain/ids.js';
import { may } from '../../domain/policy.js';
import type { Language, Viewer } from '../../domain/vocabulary.js';
import type { AuditService } from '../../platform/audit/audit.service.js';
import type { Db } from '../../platform/db/database.js';
import type { Executor } from '../../platform/db/executor.js';
import type { ReleaseOptions } from '../../platform/db/schema.js';
import {
  casesByTrackingNumber,
  countReleases,
  insertRelease,
  listReleases,
  releaseById,
} from './release.repository.js';
import type { ReleaseForm } from './release.schemas.js';
import { caseViews, RELEASABLE, summaryView, type ReleaseSummary, type ReleaseView } from './release.view.js';
import { boardDecisionsOf, identitiesOf, releasedAllegations, releasedCases } from './releaseContent.repository.js';

export type { ReleaseCaseView, ReleaseSummary, ReleaseView } from './release.view.js';

/**
 * A narrative is the complainant's own words: only staff who may read every case (and so every
 * narrative) may put one in a release or read it in one. An admin makes releases, but reads no case.
 */
const mayReadNarratives = (viewer: Viewer) => may(viewer, 'cases.readAll');
export const RELEASES_PAGE_SIZE = 50;

const partsOf = (options: ReleaseOptions) =>
  (['allegations', 'timeline', 'decision', 'narrative'] as const).filter((part) => options[part]);

export type MakeResult =
  | { kind: 'made'; id: string }
  /** Nothing was written: these tracking numbers match no case, or cases not yet decided. */
  | { kind: 'refused'; unknown: string[]; undecided: string[] }
  /** Nothing was written: the viewer may not include narratives (a form not offered to them). */
  | { kind: 'narrativeRefused' };

export type ReleaseService = ReturnType<typeof releaseService>;

/**
 * Public-records releases (#19 part 5): staff choose decided cases and what to include; the
 * release is recorded (append-only) and audited with its cases, and printed redacted on demand.
 * Complainant and witness identities, staff notes and evidence are never part of one.
 */
export function releaseService(deps: { db: Db; audit: AuditService }) {
  const { db, audit } = deps;
  const check = (viewer: Viewer) => {
    if (!may(viewer, 'releases.make')) throw notFound();
  };
  /** One step of a release in the trail of each of its cases (R1: each case's own trail). */
  const auditEachCase = async (
    trx: Executor,
    type: 'case.release' | 'case.read',
    caseIds: readonly string[],
    step: { actor: { type: 'user'; id: string }; requestId: string; details: Record<string, string> },
  ) => {
    for (const id of caseIds) await audit.record(trx, { type, object: { type: 'complaint', id }, ...step });
  };

  return {
    /** Whether the form offers this viewer the narrative. */
    mayIncludeNarrative: mayReadNarratives,

    async make(viewer: Viewer, form: ReleaseForm, requestId: string): Promise<MakeResult> {
      check(viewer);
      if (form.narrative === 'include' && !mayReadNarratives(viewer)) return { kind: 'narrativeRefused' };
      const options: ReleaseOptions = {
        allegations: form.include.includes('allegations'),
        officers: form.officers,
        timeline: form.include.includes('timeline'),
        decision: form.include.includes('decision'),
        narrative: form.narrative === 'include',
      };
      return db.transaction().execute(async (trx) => {
        const found = new Map(
          (await casesByTrackingNumber(trx, form.trackingNumbers)).map((c) => [c.tracking_number, c]),
        );
        const unknown = form.trackingNumbers.filter((n) => !found.has(n));
        const undecided = form.trackingNumbers.filter((n) => found.has(n) && !RELEASABLE.has(found.get(n)!.stage));
        if (unknown.length > 0 || undecided.length > 0) return { kind: 'refused', unknown, undecided };
        const caseIds = form.trackingNumbers.map((n) => found.get(n)!.id);
        const release = await insertRelease(trx, {
          reference: form.reference,
          createdBy: viewer.userId,
          options,
          caseIds,
          trackingNumbers: form.trackingNumbers,
        });
        const actor = { type: 'user' as const, id: viewer.userId };
        await audit.record(trx, {
          type: 'release.create',
          actor,
          object: { type: 'release', id: release.id },
          requestId,
          // The parts as a list: the audit log refuses a key named after the narrative (R2), not its mention.
          details: {
            reference: form.reference,
            cases: form.trackingNumbers,
            officers: options.officers,
            parts: partsOf(options),
          },
        });
        // Each case's own trail says it was released, and in which release (R1: every export of a case).
        const step = { actor, requestId, details: { release: release.id, reference: form.reference } };
        await auditEachCase(trx, 'case.release', caseIds, step);
        return { kind: 'made', id: release.id };
      });
    },

    async list(viewer: Viewer, page: number): Promise<{ releases: ReleaseSummary[]; pages: number }> {
      check(viewer);
      const [rows, total] = await Promise.all([
        listReleases(db, { limit: RELEASES_PAGE_SIZE, offset: (page - 1) * RELEASES_PAGE_SIZE }),
        countReleases(db),
      ]);
      return { releases: rows.map(summaryView), pages: Math.max(1, Math.ceil(total / RELEASES_PAGE_SIZE)) };
    },

    /**
     * The release as printed, from the cases as they are now (a case no longer decided prints
     * nothing); its viewing is audited, and each case's own trail records the read (R1).
     */
    async view(viewer: Viewer, id: string, language: Language, requestId: string): Promise<ReleaseView | undefined> {
      check(viewer);
      if (!isId(id)) return undefined;
      return db.transaction().execute(async (trx) => {
        const release = await releaseById(trx, id);
        if (!release) return undefined;
        const ids = release.case_ids;
        const narrative = release.options.narrative && mayReadNarratives(viewer);
        const options = { ...release.options, narrative };
        const [cases, allegations, decisions, identities] = await Promise.all([
          releasedCases(trx, ids, narrative),
          // With the narrative, the officers it must not name.
          options.allegations || options.decision || narrative ? releasedAllegations(trx, ids) : [],
          options.decision ? boardDecisionsOf(trx, ids) : [],
          narrative ? identitiesOf(trx, ids) : [],
        ]);
        const actor = { type: 'user' as const, id: viewer.userId };
        await audit.record(trx, {
          type: 'release.view',
          actor,
          object: { type: 'release', id },
          requestId,
          details: { reference: release.reference, cases: ids.length },
        });
        const details = { view: 'release', release: id, reference: release.reference };
        await auditEachCase(trx, 'case.read', ids, { actor, requestId, details });
        return {
          ...summaryView(release),
          narrativeHidden: release.options.narrative && !narrative,
          cases: caseViews({ ...release, options }, { cases, allegations, decisions, identities }, language),
        };
      });
    },
  };
}
