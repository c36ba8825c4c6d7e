import type { Db } from '../platform/db/database.js';
import { recordAnswer } from '../features/surveys/trustAnswer.repository.js';
import { insertWave } from '../features/surveys/trustWave.repository.js';
import { NO_DISTRICT, TRUST_DEMOGRAPHICS } from '../features/surveys/trustSurvey.bank.js';

const DAY = 86_400_000;
const isoDay = (at: Date, days: number) => new Date(at.getTime() + days * DAY).toISOString().slice(0, 10);

/** Answers per district in the closed wave: most well above 5, Harbor below it (withheld), some not given. */
const CLOSED_WAVE_ANSWERS: Record<string, number> = {
  central: 34,
  north: 27,
  east: 22,
  south: 19,
  west: 12,
  harbor: 3,
  [NO_DISTRICT]: 8,
};
/** How far each district leans from the middle of the scale: the results differ by area. */
const LEAN: Record<string, number> = { central: 0.6, north: 0.9, east: -0.2, south: -0.6, west: 0.3, harbor: 0 };
const CLOSED_ITEMS = ['respect', 'fairness', 'voice', 'doRight', 'confidence', 'knowHow'];
const OPEN_ITEMS = ['respect', 'equal', 'doRight', 'cooperate', 'complaintSerious', 'oversightTrust'];

/**
 * The demo's community trust surveys (#19 part 4): a wave that closed two months ago, with about
 * 125 answers so that its results stand above the small-cell rule (Harbor's 3 stay withheld), and
 * a wave open now with a few answers and the demographic questions. Written as the public's
 * answers are, in one transaction, with scores varied by a fixed sequence so every start is alike.
 */
export async function createDemoTrustWaves(db: Db, adminId: string, now: Date): Promise<void> {
  let seed = 19;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const score = (district: string) =>
    Math.min(5, Math.max(1, Math.round(3 + (LEAN[district] ?? 0) + (next() * 3 - 1.5))));
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;

  await db.transaction().execute(async (trx) => {
    const closed = await insertWave(trx, {
      opensOn: isoDay(now, -90),
      closesOn: isoDay(now, -60),
      items: CLOSED_ITEMS,
      asksDemographics: false,
      createdBy: adminId,
    });
    const open = await insertWave(trx, {
      opensOn: isoDay(now, -7),
      closesOn: isoDay(now, 23),
      items: OPEN_ITEMS,
      asksDemographics: true,
      createdBy: adminId,
    });
    const answer = async (
      waveId: string,
      items: string[],
      district: string,
      day: string,
      asksDemographics: boolean,
    ) => {
      // A few statements left unanswered, as people do.
      const scores = Object.fromEntries(items.filter(() => next() > 0.08).map((item) => [item, score(district)]));
      await recordAnswer(trx, {
        waveId,
        answeredOn: day,
        district: district === NO_DISTRICT ? null : district,
        scores,
        ageRange: asksDemographics && next() > 0.3 ? pick(TRUST_DEMOGRAPHICS.ageRange) : null,
        gender: asksDemographics && next() > 0.3 ? pick(TRUST_DEMOGRAPHICS.gender) : null,
        race: asksDemographics && next() > 0.3 ? pick(TRUST_DEMOGRAPHICS.race) : null,
      });
    };
    for (const [district, count] of Object.entries(CLOSED_WAVE_ANSWERS)) {
      for (let i = 0; i < count; i++) await answer(closed, CLOSED_ITEMS, district, isoDay(now, -90 + (i % 30)), false);
    }
    for (let i = 0; i < 9; i++)
      await answer(open, OPEN_ITEMS, pick(Object.keys(LEAN)), isoDay(now, -7 + (i % 7)), true);
  });
}
