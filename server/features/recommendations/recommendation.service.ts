import { DateTime } from 'luxon';
import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/database.js';
import type { Viewer } from '../../platform/db/caseAccess.js';
import type { AuditService } from '../../platform/audit/audit.service.js';
import type { Executor } from '../../platform/db/executor.js';
import { may } from '../../domain/policy.js';
import { Conflict, InvalidField, NotFound } from '../../domain/errors.js';
import type { Language } from '../../domain/vocabulary.js';
import {
  allRecommendations,
  casesByTracking,
  decisionsOf,
  insertRecommendation,
  insertUpdate,
  linkedCases,
  lockRecommendation,
  recommendationById,
  replaceLinkedCases,
  updateRecommendation,
  updatesOf,
} from './recommendation.repository.js';
import { meetingsNotClosed, openItemOf } from './recommendationBoard.repository.js';
import { recommendationView } from './recommendation.view.js';
import type { RecommendationInput, UpdateInput } from './recommendation.schemas.js';

export type RecommendationService = ReturnType<typeof recommendationService>;

/**
 * Policy recommendations for staff (#19 part 3): supervisors and admins draft them (with the cases
 * that prompted them, kept internal and linked only by those who may read every case), organisers
 * put them on a meeting's agenda (the vote is in recommendationVote.service.ts), and once adopted
 * the department's response and implementation updates are recorded as dated entries. Every change
 * is audited in its transaction, with the cases linked.
 */
export function recommendationService(deps: { db: Db; audit: AuditService; clock: Clock; timeZone: string }) {
  const { db } = deps;
  const drafter = (viewer: Viewer) => {
    if (!may(viewer, 'recommendations.draft')) throw new NotFound('recommendations');
  };
  const audit = (
    trx: Executor,
    viewer: Viewer,
    type: string,
    id: string,
    details: Record<string, string | number | boolean | string[]>,
    requestId?: string,
  ) =>
    deps.audit.record(trx, {
      type,
      actor: { type: 'user', id: viewer.userId },
      object: { type: 'recommendation', id },
      requestId,
      details,
    });
  /** Linking cases shows their tracking numbers: only for those who may read every case (not admins). */
  const linksCases = (viewer: Viewer) => may(viewer, 'cases.readAll');
  /** The cases named by tracking number, or a field error naming the first unknown one. */
  async function casesNamed(trx: Executor, viewer: Viewer, trackingNumbers: string[]): Promise<string[]> {
    if (trackingNumbers.length > 0 && !linksCases(viewer)) {
      throw new InvalidField('cases', 'recommendations.field.casesNotYours');
    }
    const found = await casesByTracking(trx, trackingNumbers);
    if (found.length !== trackingNumbers.length) throw new InvalidField('cases', 'recommendations.field.casesUnknown');
    return found.map((c) => c.id);
  }
  const texts = (input: RecommendationInput) => ({
    title_en: input.titleEn,
    title_es: input.titleEs,
    body_en: input.bodyEn,
    body_es: input.bodyEs,
    basis_en: input.basisEn,
    basis_es: input.basisEs,
  });

  return {
    async list(viewer: Viewer, language: Language) {
      drafter(viewer);
      const rows = await allRecommendations(db);
      const ids = rows.map((r) => r.id);
      const [updates, decisions] = await Promise.all([updatesOf(db, ids), decisionsOf(db, ids)]);
      return rows.map((r) => recommendationView(r, updates, decisions, language, deps.clock()));
    },

    /** One recommendation with its linked cases, the agenda it waits on, and the meetings it could go on. */
    async get(viewer: Viewer, id: string, language: Language) {
      drafter(viewer);
      const row = await recommendationById(db, id);
      if (!row) throw new NotFound('recommendation');
      const [updates, decisions, cases, onAgenda, meetings] = await Promise.all([
        updatesOf(db, [id]),
        decisionsOf(db, [id]),
        linksCases(viewer) ? linkedCases(db, id) : Promise.resolve([]),
        openItemOf(db, id),
        row.status === 'draft' && may(viewer, 'board.organise') ? meetingsNotClosed(db) : Promise.resolve([]),
      ]);
      return {
        recommendation: recommendationView(row, updates, decisions, language, deps.clock()),
        texts: row,
        cases: cases.map((c) => ({ id: c.id, trackingNumber: c.tracking_number })),
        mayLinkCases: linksCases(viewer),
        onAgenda: onAgenda ? { meetingId: onAgenda.meeting_id, meetingAt: onAgenda.scheduled_for } : null,
        meetings: onAgenda ? [] : meetings.map((m) => ({ id: m.id, at: m.scheduled_for, status: m.status })),
      };
    },

    async create(viewer: Viewer, input: RecommendationInput, requestId?: string): Promise<string> {
      drafter(viewer);
      const year = DateTime.fromJSDate(deps.clock(), { zone: deps.timeZone }).year;
      return db.transaction().execute(async (trx) => {
        const cases = await casesNamed(trx, viewer, input.cases);
        const created = await insertRecommendation(trx, { ...texts(input), created_by: viewer.userId }, year);
        await replaceLinkedCases(trx, created.id, cases);
        await audit(
          trx,
          viewer,
          'recommendation.create',
          created.id,
          { reference: created.reference, cases },
          requestId,
        );
        return created.id;
      });
    },

    /** Changes a draft, as long as no board has taken it up (on an agenda, or decided). */
    async edit(viewer: Viewer, id: string, input: RecommendationInput, requestId?: string) {
      drafter(viewer);
      await db.transaction().execute(async (trx) => {
        const row = await lockRecommendation(trx, id);
        if (!row) throw new NotFound('recommendation');
        if (row.status !== 'draft' || (await openItemOf(trx, id)))
          throw new Conflict('not a draft', { reason: 'notDraft' });
        // Someone who may not link cases leaves the links as they are.
        const cases = linksCases(viewer) ? await casesNamed(trx, viewer, input.cases) : undefined;
        if (!linksCases(viewer) && input.cases.length > 0)
          throw new InvalidField('cases', 'recommendations.field.casesNotYours');
        await updateRecommendation(trx, id, { ...texts(input), updated_at: deps.clock() });
        if (cases) await replaceLinkedCases(trx, id, cases);
        await audit(trx, viewer, 'recommendation.edit', id, cases ? { cases } : {}, requestId);
      });
    },

    /** The department's response or an implementation update of an adopted recommendation: a new dated entry. */
    async recordUpdate(viewer: Viewer, id: string, input: UpdateInput, requestId?: string) {
      drafter(viewer);
      const today = DateTime.fromJSDate(deps.clock(), { zone: deps.timeZone }).toISODate()!;
      if (input.occurredOn > today) throw new InvalidField('occurredOn', 'recommendations.field.dateFuture');
      await db.transaction().execute(async (trx) => {
        const row = await lockRecommendation(trx, id);
        if (!row) throw new NotFound('recommendation');
        if (row.status !== 'adopted') throw new Conflict('not adopted', { reason: 'notAdopted' });
        const adoptedOn = DateTime.fromJSDate(row.adopted_at!, { zone: deps.timeZone }).toISODate()!;
        if (input.occurredOn < adoptedOn)
          throw new InvalidField('occurredOn', 'recommendations.field.dateBeforeAdoption');
        const entry = await insertUpdate(trx, {
          recommendation_id: id,
          kind: input.kind,
          status: input.status,
          body: input.body,
          occurred_on: input.occurredOn,
          recorded_by: viewer.userId,
          recorded_at: deps.clock(),
        });
        await audit(
          trx,
          viewer,
          'recommendation.update',
          id,
          { entry, kind: input.kind, status: input.status },
          requestId,
        );
      });
    },
  };
}
