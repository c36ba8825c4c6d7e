import type { Language } from '../../platform/i18n.js';
import type { OfficerValues } from './officer.schemas.js';

/** An officer of the roster as services hand it to routes. */
export interface Officer extends OfficerValues {
  id: string;
  active: boolean;
  /** The district's name in the reader's language (its code if the district is gone). */
  districtName: string | null;
}

/** An officers row as the repository reads it, with the district's names when joined. */
export interface OfficerRow {
  id: string;
  badge_number: string | null;
  first_name: string;
  last_name: string;
  rank: string | null;
  unit: string | null;
  district: string | null;
  active: boolean;
  district_en?: string | null;
  district_es?: string | null;
}

export function toOfficer(row: OfficerRow, language: Language): Officer {
  return {
    id: row.id,
    badgeNumber: row.badge_number ?? '',
    firstName: row.first_name,
    lastName: row.last_name,
    rank: row.rank,
    unit: row.unit,
    district: row.district,
    active: row.active,
    districtName: (language === 'es' ? row.district_es : row.district_en) ?? row.district,
  };
}

/** The table's columns for an officer's details. */
export const columns = (v: OfficerValues) => ({
  badge_number: v.badgeNumber,
  first_name: v.firstName,
  last_name: v.lastName,
  rank: v.rank,
  unit: v.unit,
  district: v.district,
});
