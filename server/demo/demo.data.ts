import type { Role } from '../domain/vocabulary.js';

/** The demonstration agency: districts, staff and officers created on an empty database. */

export const DEMO_DISTRICTS = [
  { code: 'central', name_en: 'Central', name_es: 'Centro' },
  { code: 'north', name_en: 'North', name_es: 'Norte' },
  { code: 'east', name_en: 'East', name_es: 'Este' },
  { code: 'south', name_en: 'South', name_es: 'Sur' },
  { code: 'west', name_en: 'West', name_es: 'Oeste' },
  { code: 'harbor', name_en: 'Harbor', name_es: 'Puerto' },
];

export const DEMO_STAFF: ReadonlyArray<{ email: string; name: string; roles: Role[]; language?: 'es' }> = [
  { email: 'admin@example.org', name: 'Alex Admin', roles: ['admin'] },
  { email: 'intake@example.org', name: 'Imani Intake', roles: ['intake'] },
  { email: 'investigator1@example.org', name: 'Iris Investigator', roles: ['investigator'] },
  { email: 'investigator2@example.org', name: 'Ivan Investigador', roles: ['investigator'], language: 'es' },
  { email: 'supervisor@example.org', name: 'Sam Supervisor', roles: ['supervisor'] },
  { email: 'board1@example.org', name: 'Beatriz Board', roles: ['board'], language: 'es' },
  { email: 'board2@example.org', name: 'Bernard Board', roles: ['board'] },
  { email: 'board3@example.org', name: 'Bao Board', roles: ['board'] },
  { email: 'board4@example.org', name: 'Bianca Board', roles: ['board'] },
  { email: 'board5@example.org', name: 'Boris Board', roles: ['board'] },
];

const FIRST = ['Maria', 'James', 'Wei', 'Carlos', 'Aisha', 'Daniel', 'Sofia', 'Michael', 'Priya', 'Luis'];
const LAST = ['Garcia', 'Johnson', 'Nguyen', 'Smith', 'Hernandez', 'Lee', 'Brown', 'Martinez', 'Kim', 'Davis'];
const RANKS = ['Officer', 'Officer', 'Officer', 'Corporal', 'Sergeant', 'Lieutenant'];

/** 30 officers with distinct names and badge numbers, spread over the districts. */
export function demoOfficers() {
  return Array.from({ length: 30 }, (_, i) => ({
    badge_number: String(4100 + i * 7),
    first_name: FIRST[i % FIRST.length]!,
    last_name: LAST[(i * 3 + Math.floor(i / FIRST.length)) % LAST.length]!,
    rank: RANKS[i % RANKS.length]!,
    unit: i % 4 === 0 ? 'Traffic' : 'Patrol',
    district: DEMO_DISTRICTS[i % DEMO_DISTRICTS.length]!.code,
  }));
}
