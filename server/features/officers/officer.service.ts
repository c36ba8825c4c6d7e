import type { Clock } from '../../platform/clock.js';
import { NotFound } from '../../domain/errors.js';
import { may, type Permission } from '../../domain/policy.js';
import { DateTime } from 'luxon';
import type { Viewer } from '../../platform/db/caseAccess.js';
import type { Db } from '../../platform/db/database.js';
import { isUniqueViolation } from '../../platform/db/errors.js';
import type { Executor } from '../../platform/db/executor.js';
import {
  insertOfficer,
  lockRoster,
  officerById,
  officerHistory,
  officerHistoryCounts,
  HISTORY_PAGE_SIZE,
  officersByBadges,
  rosterPage,
  updateOfficer,
  type RosterFilter,
} from './officer.repository.js';
import { allDistricts } from '../../platform/reference/reference.repository.js';
import type { Language } from '../../platform/i18n.js';
import { OFFICER_PAGE_SIZE, type OfficerForm, type OfficerValues } from './officer.schemas.js';
import type { AuditService } from '../../platform/audit/audit.service.js';
import { officerImport } from './officer.import.js';
import { columns, toOfficer, type Officer } from './officer.model.js';

export type { Officer };

/** The viewer's roles do not allow this: the route answers 404, as for a missing officer (R14). */
export class OfficerNotVisible extends NotFound {}

/** A form refused for what only the database knows: which field, and a catalogue key. */
export type SaveResult = { ok: true; id: string } | { ok: false; field: keyof OfficerForm; key: string };

const TAKEN = { ok: false, field: 'badgeNumber', key: 'officers.field.badgeTaken' } as const;
const UNKNOWN_DISTRICT = { ok: false, field: 'district', key: 'officers.field.districtUnknown' } as const;

/** Stops a viewer the access policy does not allow (the routes check first; this holds if one forgets). */
function allow(viewer: Viewer, permission: Permission): void {
  if (!may(viewer, permission)) throw new OfficerNotVisible();
}

export type OfficerService = ReturnType<typeof officerService>;

/** The officer roster: search, add, edit, an officer's complaint history, and import from CSV. */
export function officerService(deps: { db: Db; audit: AuditService; clock: Clock }) {
  const { db, audit } = deps;
  const now = deps.clock;
  const imports = officerImport({ db, audit });
  const actor = (viewer: Viewer) => ({ type: 'user' as const, id: viewer.userId });
  const badgeTaken = async (trx: Executor, badge: string, except?: string) =>
    (await officersByBadges(trx, [badge])).some((o) => o.id !== except);

  /**
   * Checks what only the database knows, then writes. The roster lock keeps a badge number
   * checked free until commit; the unique index answers the same way if anything bypasses it.
   */
  async function save<T>(viewer: Viewer, form: OfficerForm, write: (trx: Executor) => Promise<T>) {
    allow(viewer, 'officers.edit');
    try {
      return await db.transaction().execute(async (trx) => {
        await lockRoster(trx);
        const districts = await allDistricts(trx);
        if (form.district !== null && !districts.some((d) => d.code === form.district)) return UNKNOWN_DISTRICT;
        return write(trx);
      });
    } catch (error) {
      if (isUniqueViolation(error)) return TAKEN;
      throw error;
    }
  }

  return {
    /** One page (1-based) of the roster by last name. */
    async roster(viewer: Viewer, filter: RosterFilter, page: number, language: Language) {
      allow(viewer, 'officers.read');
      const { rows, total } = await rosterPage(db, filter, OFFICER_PAGE_SIZE, (page - 1) * OFFICER_PAGE_SIZE);
      const pages = Math.max(1, Math.ceil(total / OFFICER_PAGE_SIZE));
      return { officers: rows.map((r) => toOfficer(r, language)), total, page, pages };
    },

    /** Districts to choose from: the active ones, and the given one even if it is no longer active. */
    async districtChoices(language: Language, keep: string | null = null) {
      return (await allDistricts(db))
        .filter((d) => d.active || d.code === keep)
        .map((d) => ({ value: d.code, label: language === 'es' ? d.name_es : d.name_en }));
    },

    /** An officer's roster entry, for the edit form (no complaint history). */
    async forEdit(viewer: Viewer, id: string, language: Language): Promise<Officer | undefined> {
      allow(viewer, 'officers.edit');
      const row = await officerById(db, id);
      return row && toOfficer(row, language);
    },

    /**
     * The officer page: details, counts, and one page (50) of the allegations naming them, newest
     * first (#18: an officer named in thousands of complaints is still one small page). Audited.
     */
    async view(viewer: Viewer, id: string, language: Language, requestId: string, page = 1) {
      allow(viewer, 'officers.history');
      return db.transaction().execute(async (trx) => {
        const row = await officerById(trx, id);
        if (!row) return undefined;
        const since = DateTime.fromJSDate(now()).minus({ months: 12 }).toJSDate();
        const counted = await officerHistoryCounts(trx, id, viewer, since);
        const history = (await officerHistory(trx, id, viewer, page)).map((h) => ({
          complaintId: h.complaint_id,
          trackingNumber: h.tracking_number,
          receivedAt: h.received_at,
          stage: h.stage,
          finding: h.finding,
          category: language === 'es' ? h.category_es : h.category_en,
        }));
        await audit.record(trx, {
          type: 'officer.read',
          actor: actor(viewer),
          object: { type: 'officer', id },
          requestId,
        });
        return {
          officer: toOfficer(row, language),
          history,
          counts: { recentComplaints: counted.recent, sustained: counted.sustained },
          page,
          pages: Math.max(1, Math.ceil(counted.allegations / HISTORY_PAGE_SIZE)),
        };
      });
    },

    async create(viewer: Viewer, form: OfficerForm, requestId: string): Promise<SaveResult> {
      return save(viewer, form, async (trx) => {
        if (await badgeTaken(trx, form.badgeNumber)) return TAKEN;
        const id = await insertOfficer(trx, { ...columns(form), active: form.active });
        await audit.record(trx, {
          type: 'officer.create',
          actor: actor(viewer),
          object: { type: 'officer', id },
          requestId,
        });
        return { ok: true as const, id };
      });
    },

    /** Undefined when there is no such officer. */
    async update(viewer: Viewer, id: string, form: OfficerForm, requestId: string): Promise<SaveResult | undefined> {
      return save(viewer, form, async (trx) => {
        const current = await officerById(trx, id);
        if (!current) return undefined;
        if (await badgeTaken(trx, form.badgeNumber, id)) return TAKEN;
        const next = { ...columns(form), active: form.active };
        const changed = (Object.keys(next) as Array<keyof typeof next>).filter((k) => next[k] !== current[k]);
        await updateOfficer(trx, id, next);
        const object = { type: 'officer', id };
        await audit.record(trx, {
          type: 'officer.update',
          actor: actor(viewer),
          object,
          requestId,
          details: { changed },
        });
        return { ok: true as const, id };
      });
    },

    /** Reads an import file and says what it would do; nothing is written. */
    async previewImport(viewer: Viewer, data: Buffer, language: Language) {
      allow(viewer, 'officers.edit');
      return imports.preview(data, language);
    },

    /** Writes previewed rows in one audited transaction; `ok: false` if the roster moved under them. */
    async commitImport(viewer: Viewer, rows: OfficerValues[], requestId: string) {
      allow(viewer, 'officers.edit');
      return imports.commit(viewer, rows, requestId);
    },
  };
}
