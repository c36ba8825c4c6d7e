import { DateTime } from 'luxon';
import type { Clock } from '../../platform/clock.js';
import { TRUST_ITEMS, type TrustItem } from './trustSurvey.bank.js';

/** Where a wave stands on a given day: not begun, open for answers, or over (ended or closed early). */
export type WaveStatus = 'scheduled' | 'open' | 'closed';

/** A wave as pages show it (view model): its days as 'YYYY-MM-DD', its items in the order asked. */
export interface TrustWave {
  id: string;
  opensOn: string;
  closesOn: string;
  items: TrustItem[];
  asksDemographics: boolean;
  status: WaveStatus;
}

/** Today's date where the agency is, 'YYYY-MM-DD': waves open and close by the agency's calendar. */
export function agencyToday(clock: Clock, timeZone: string): string {
  return DateTime.fromJSDate(clock(), { zone: timeZone }).toISODate()!;
}

export function waveStatus(wave: { opensOn: string; closesOn: string; closedAt: Date | null }, today: string) {
  if (wave.closedAt !== null || wave.closesOn < today) return 'closed' as const;
  return wave.opensOn > today ? ('scheduled' as const) : ('open' as const);
}

const isItem = (code: string): code is TrustItem => (TRUST_ITEMS as readonly string[]).includes(code);

/** A wave row as its view model on `today`. */
export function waveOf(
  row: {
    id: string;
    opens_on: string;
    closes_on: string;
    items: string[];
    asks_demographics: boolean;
    closed_at: Date | null;
  },
  today: string,
): TrustWave {
  const dates = { opensOn: row.opens_on, closesOn: row.closes_on };
  return {
    id: row.id,
    ...dates,
    // Codes only from the bank (they are never renamed): anything else is not asked.
    items: row.items.filter(isItem),
    asksDemographics: row.asks_demographics,
    status: waveStatus({ ...dates, closedAt: row.closed_at }, today),
  };
}
