import type { Clock } from '../../platform/clock.js';
import { NotFound } from '../../domain/errors.js';
import { may } from '../../domain/policy.js';
import { DateTime } from 'luxon';
import type { Viewer } from '../../platform/db/caseAccess.js';
import type { Db } from '../../platform/db/database.js';
import { flaggedCases, flaggedOfficers, type FlagCriteria } from './earlyIntervention.repository.js';
import { disparityCounts } from './disparity.repository.js';
import { allCategories } from '../../platform/reference/reference.repository.js';
import type { Executor } from '../../platform/db/executor.js';
import { getSetting, putSetting } from '../../platform/db/settings.repository.js';
import type { Language } from '../../platform/i18n.js';
import type { AuditService } from '../../platform/audit/audit.service.js';
import {
  THRESHOLDS_SETTING,
  thresholdsOf,
  trippedBy,
  windowStart,
  type Measure,
  type Thresholds,
} from './earlyIntervention.rules.js';
import { DIMENSIONS, groupsOf, shown } from './earlyIntervention.disparity.js';

export type { DisparityGroup } from './earlyIntervention.disparity.js';

/** The viewer's roles do not allow this: the route answers 404, as for a page that does not exist (R14). */
export class EarlyInterventionNotVisible extends NotFound {}

/**
 * Flagged officers shown on one page: ten, each with up to ten allegations, keep a page near 60 kB
 * and its rendering near half of what twenty took (#18: at 1,000,000 complaints twenty made the
 * page's p95 235 ms at 8 connections, over its 200 ms).
 */
export const FLAGS_PAGE_SIZE = 10;
/** Allegations listed for one flagged officer, newest first; the officer's page has them all. */
export const CASES_PER_OFFICER = 10;

function allow(viewer: Viewer): void {
  if (!may(viewer, 'officers.history')) throw new EarlyInterventionNotVisible();
}

export interface FlaggedOfficer {
  id: string;
  firstName: string;
  lastName: string;
  badgeNumber: string;
  districtName: string | null;
  counts: Record<Measure, number>;
  /** The thresholds this officer reaches, in the order complaints, force, sustained. */
  tripped: Measure[];
  /** Whether there are more allegations behind the counts than `cases` (the newest CASES_PER_OFFICER) lists. */
  moreCases: boolean;
  cases: Array<{
    complaintId: string;
    trackingNumber: string;
    receivedAt: Date;
    category: string;
    finding: string | null;
  }>;
}

export type EarlyInterventionService = ReturnType<typeof earlyInterventionService>;

/**
 * Early intervention for supervisors: the officers whose complaint history reaches a threshold (the
 * read is audited), the admin's thresholds, and complaints by complainant group with the public
 * small-cell rule.
 */
export function earlyInterventionService(deps: { db: Db; audit: AuditService; timeZone: string; clock: Clock }) {
  const { db, audit, timeZone } = deps;
  const now = deps.clock;

  const thresholdsIn = async (trx: Executor): Promise<Thresholds> =>
    thresholdsOf(
      await getSetting(trx, THRESHOLDS_SETTING),
      (await allCategories(trx)).map((c) => c.code),
    );

  const criteriaOf = (t: Thresholds, at: Date): FlagCriteria => ({
    until: at,
    complaintsSince: windowStart(at, t.complaints.months, timeZone),
    complaintsMin: t.complaints.count,
    forceSince: windowStart(at, t.force.months, timeZone),
    forceMin: t.force.count,
    forceCategories: t.force.categories,
    sustainedSince: windowStart(at, t.sustained.months, timeZone),
    sustainedMin: t.sustained.count,
  });

  const today = () => DateTime.fromJSDate(now(), { zone: timeZone }).startOf('day');

  return {
    /** The thresholds in force: the stored ones, or the defaults. */
    thresholds: (): Promise<Thresholds> => thresholdsIn(db),

    /** Every allegation category, named in the reader's language, for the thresholds form. */
    async categories(language: Language) {
      return (await allCategories(db)).map((c) => ({
        code: c.code,
        name: language === 'es' ? c.name_es : c.name_en,
        active: c.active,
      }));
    },

    /** Saves the thresholds (checked by the caller's schema) and records the change. */
    async saveThresholds(adminId: string, next: Thresholds, requestId?: string): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await putSetting(trx, THRESHOLDS_SETTING, next);
        await audit.record(trx, {
          type: 'earlyIntervention.settings.change',
          actor: { type: 'user', id: adminId },
          object: { type: 'settings', id: 'early_intervention' },
          requestId,
          details: {
            complaintsCount: next.complaints.count,
            complaintsMonths: next.complaints.months,
            forceCount: next.force.count,
            forceMonths: next.force.months,
            forceCategories: next.force.categories,
            sustainedCount: next.sustained.count,
            sustainedMonths: next.sustained.months,
          },
        });
      });
    },

    /**
     * One page (1-based) of the flagged officers with the cases behind their counts. Reading it is
     * recorded once per view, with the officers shown (ids only).
     */
    async flags(viewer: Viewer, page: number, language: Language, requestId: string) {
      allow(viewer);
      const at = now();
      return db.transaction().execute(async (trx) => {
        const thresholds = await thresholdsIn(trx);
        const criteria = criteriaOf(thresholds, at);
        const { rows, total } = await flaggedOfficers(trx, criteria, FLAGS_PAGE_SIZE, (page - 1) * FLAGS_PAGE_SIZE);
        const cases = await flaggedCases(
          trx,
          rows.map((r) => r.id),
          criteria,
          CASES_PER_OFFICER + 1,
        );
        const officers: FlaggedOfficer[] = rows.map((r) => {
          const counts = { complaints: r.complaints, force: r.force, sustained: r.sustained };
          const all = cases.filter((c) => c.officer_id === r.id);
          const mine = all.slice(0, CASES_PER_OFFICER);
          return {
            id: r.id,
            firstName: r.first_name,
            lastName: r.last_name,
            badgeNumber: r.badge_number ?? '',
            districtName: (language === 'es' ? r.district_es : r.district_en) ?? r.district,
            counts,
            tripped: trippedBy(counts, thresholds),
            moreCases: all.length > mine.length,
            cases: mine.map((c) => ({
              complaintId: c.complaint_id,
              trackingNumber: c.tracking_number,
              receivedAt: new Date(c.received_at),
              category: language === 'es' ? c.category_es : c.category_en,
              finding: c.finding,
            })),
          };
        });
        const categoryNames = new Map(
          (await allCategories(trx)).map((c) => [c.code, language === 'es' ? c.name_es : c.name_en]),
        );
        // Last: the audit chain's lock is held from here to the commit.
        await audit.record(trx, {
          type: 'earlyIntervention.read',
          actor: { type: 'user', id: viewer.userId },
          object: { type: 'report', id: 'early_intervention' },
          requestId,
          details: { page, flagged: total, officers: officers.map((o) => o.id) },
        });
        return {
          asOf: at,
          thresholds,
          forceCategoryNames: thresholds.force.categories.map((c) => categoryNames.get(c) ?? c),
          since: {
            complaints: criteria.complaintsSince,
            force: criteria.forceSince,
            sustained: criteria.sustainedSince,
          },
          officers,
          total,
          page,
          pages: Math.max(1, Math.ceil(total / FLAGS_PAGE_SIZE)),
        };
      });
    },

    /**
     * The disparity view's window as days: by default the 12 months up to today; a blank end is
     * today, a blank start 12 months before the end.
     */
    windowOf(query: { from?: string | undefined; to?: string | undefined }): { from: string; to: string } {
      const end = query.to ? DateTime.fromISO(query.to, { zone: timeZone }) : today();
      return { from: query.from || end.minus({ months: 12 }).toISODate()!, to: end.toISODate()! };
    },

    /**
     * Complaints received from the start of `from` to the end of `to` (days in the agency's time
     * zone) by the complainant's age range, gender and race, with the small-cell rule applied.
     */
    async disparity(viewer: Viewer, window: { from: string; to: string }) {
      allow(viewer);
      const from = DateTime.fromISO(window.from, { zone: timeZone }).startOf('day');
      const until = DateTime.fromISO(window.to, { zone: timeZone }).startOf('day').plus({ days: 1 });
      const rows = await disparityCounts(db, {
        from: from.toJSDate(),
        until: until.toJSDate(),
        fromDay: from.toISODate()!,
        untilDay: until.toISODate()!,
      });
      const total = rows.find((r) => r.dimension === 'all') ?? { complaints: 0, decided: 0, sustained: 0 };
      return {
        from: window.from,
        to: window.to,
        total: shown('', total),
        tables: DIMENSIONS.map((d) => ({ key: d.key, groups: groupsOf(rows, d.key, d.values) })),
      };
    },
  };
}
