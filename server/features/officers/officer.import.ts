import type { Viewer } from '../../platform/db/caseAccess.js';
import type { Db } from '../../platform/db/database.js';
import { isUniqueViolation } from '../../platform/db/errors.js';
import type { Executor } from '../../platform/db/executor.js';
import { lockRoster, officersByBadges, updateOfficer } from './officer.repository.js';
import { allDistricts, insertOfficers } from '../../platform/reference/reference.repository.js';
import type { Language } from '../../platform/i18n.js';
import type { OfficerValues } from './officer.schemas.js';
import type { AuditService } from '../../platform/audit/audit.service.js';
import { parseOfficerCsv, type FileProblem, type RowError } from './officer.csv.js';
import { columns, toOfficer, type Officer } from './officer.model.js';

export type ImportPreview =
  | { ok: false; problem: FileProblem; line?: number | undefined }
  | {
      ok: true;
      /** Every valid row, to keep until the import is confirmed. */
      rows: OfficerValues[];
      creates: OfficerValues[];
      updates: Array<{ values: OfficerValues; current: Officer }>;
      unchanged: number;
      errors: RowError[];
    };

const sameValues = (a: OfficerValues, b: OfficerValues) => {
  const [left, right] = [columns(a), columns(b)];
  return (Object.keys(left) as Array<keyof typeof left>).every((k) => left[k] === right[k]);
};

/** Which rows add an officer, which change one (matched by badge number) and how many change nothing. */
async function planImport(db: Executor, rows: OfficerValues[], language: Language) {
  const found = await officersByBadges(
    db,
    rows.map((r) => r.badgeNumber),
  );
  const existing = new Map(found.map((o) => [o.badge_number, toOfficer(o, language)]));
  const creates: OfficerValues[] = [];
  const updates: Array<{ values: OfficerValues; current: Officer }> = [];
  let unchanged = 0;
  for (const values of rows) {
    const current = existing.get(values.badgeNumber);
    if (!current) creates.push(values);
    else if (sameValues(values, current)) unchanged++;
    else updates.push({ values, current });
  }
  return { creates, updates, unchanged };
}

/** Importing the roster from a CSV file: a preview that writes nothing, then one audited transaction. */
export function officerImport(deps: { db: Db; audit: AuditService }) {
  const { db, audit } = deps;
  return {
    /** Reads an import file and says what it would do. */
    async preview(data: Buffer, language: Language): Promise<ImportPreview> {
      const parsed = parseOfficerCsv(data);
      if (!parsed.ok) return parsed;
      const codes = new Map((await allDistricts(db)).map((d) => [d.code.toLowerCase(), d.code]));
      const errors = [...parsed.errors];
      const rows: OfficerValues[] = [];
      for (const { line, values } of parsed.rows) {
        const district = values.district === null ? null : codes.get(values.district.toLowerCase());
        if (district === undefined) errors.push({ line, column: 'district', key: 'officers.import.error.district' });
        else rows.push({ ...values, district });
      }
      errors.sort((a, b) => a.line - b.line);
      return { ok: true, rows, errors, ...(await planImport(db, rows, language)) };
    },

    /**
     * Writes the previewed rows (insert, or update by badge number) in one transaction audited
     * once; `ok: false` when the roster or the districts changed so that the rows no longer fit.
     */
    async commit(viewer: Viewer, rows: OfficerValues[], requestId: string) {
      try {
        return await db.transaction().execute(async (trx) => {
          await lockRoster(trx);
          const codes = new Set((await allDistricts(trx)).map((d) => d.code));
          if (rows.some((r) => r.district !== null && !codes.has(r.district))) return { ok: false as const };
          const plan = await planImport(trx, rows, 'en');
          for (let i = 0; i < plan.creates.length; i += 500) {
            await insertOfficers(trx, plan.creates.slice(i, i + 500).map(columns));
          }
          for (const { values, current } of plan.updates) await updateOfficer(trx, current.id, columns(values));
          const counts = { created: plan.creates.length, updated: plan.updates.length, unchanged: plan.unchanged };
          await audit.record(trx, {
            type: 'officer.import',
            actor: { type: 'user', id: viewer.userId },
            requestId,
            details: counts,
          });
          return { ok: true as const, ...counts };
        });
      } catch (error) {
        if (isUniqueViolation(error)) return { ok: false as const };
        throw error;
      }
    },
  };
}
