import { randomBytes } from 'node:crypto';
import { isId } from '../../domain/ids.js';
import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/database.js';
import { clientNetwork } from '../../platform/security/clientNetwork.js';
import { hmacHex, hmacHexAll, type Keys } from '../../platform/security/keys.js';
import type { Quotas } from '../../platform/security/quotas.js';
import { ballotCast, castBallot, recordAnswer } from './trustAnswer.repository.js';
import { openWave, waveById } from './trustWave.repository.js';
import { agencyToday, waveOf, type TrustWave } from './trustWave.model.js';
import type { TrustItem } from './trustSurvey.bank.js';

/**
 * Stored answers to one wave from one client (an IPv4 address, an IPv6 /64; a keyed hash of it
 * names the counter, the address is not stored), per hour: generous for a household or a library's shared connection,
 * a wall for a script that throws its cookie away after each answer.
 */
export const TRUST_LIMITS = { answersPerClientPerHour: 20 };

/** 256 random bits, base64url: 43 characters. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** A respondent's answers: scores 1–5 of the items answered, the district and demographics if given. */
export interface TrustAnswers {
  scores: Partial<Record<TrustItem, number>>;
  district: string | null;
  ageRange: string | null;
  gender: string | null;
  race: string | null;
}

export type TrustAnswerOutcome = 'stored' | 'answered' | 'closed' | 'limited';

export type TrustSurveyService = ReturnType<typeof trustSurveyService>;

/**
 * The public side of community trust surveys (#19 part 4): anyone answers a wave once, from a
 * browser that holds a one-time token (a cookie the survey page sets). The token is kept only as
 * a keyed hash (HMAC, SURVEY_SECRET's ring), in a table of its own that no answer points to. The
 * ballot and the answer are one transaction, so a copy of the database can pair them; an answer
 * stays anonymous because nothing leads to its ballot: once spent the browser's token is replaced
 * by a marker that says only "answered" (the routes), and without the server's key a token found
 * elsewhere does not give its ballot either. No address or user agent is kept; answers are never logged.
 */
export function trustSurveyService(deps: { db: Db; quotas: Quotas; keys: Keys; clock: Clock; timeZone: string }) {
  const today = () => agencyToday(deps.clock, deps.timeZone);
  /** The ballot a token casts now, and those it cast under older keys of the ring. */
  const ballotOf = (token: string) => hmacHex(deps.keys.trustBallot, token);
  const ballotsOf = (token: string) => hmacHexAll(deps.keys.rings.trustBallot, token);

  return {
    /** The wave open today, for the home page's invitation. */
    async current(): Promise<TrustWave | undefined> {
      const day = today();
      const row = await openWave(deps.db, day);
      return row ? waveOf(row, day) : undefined;
    },

    /** A wave by its id in a link; undefined for an id of no wave (or not an id at all). */
    async wave(id: string): Promise<TrustWave | undefined> {
      if (!isId(id)) return undefined;
      const row = await waveById(deps.db, id);
      return row ? waveOf(row, today()) : undefined;
    },

    newToken: () => randomBytes(32).toString('base64url'),
    isToken: (value: string | undefined): value is string => value !== undefined && TOKEN_SHAPE.test(value),

    /** Whether this browser's token has answered the wave. */
    answered: (waveId: string, token: string) => ballotCast(deps.db, waveId, ballotsOf(token)),

    /**
     * Stores an answer once per token and wave, while the wave is open and the client is under
     * its limit. The ballot, the answer and the wave's totals are one transaction: a double
     * submit stores one answer, and the totals never disagree with the answers.
     */
    async answer(waveId: string, token: string, answers: TrustAnswers, client: string): Promise<TrustAnswerOutcome> {
      // A browser that answered hears so, without spending its connection's allowance.
      if (await ballotCast(deps.db, waveId, ballotsOf(token))) return 'answered';
      const limit = TRUST_LIMITS.answersPerClientPerHour;
      if (!(await deps.quotas.take('trustAnswer', `${waveId}:${clientNetwork(client)}`, 1, limit))) return 'limited';
      return deps.db.transaction().execute(async (trx) => {
        const day = today();
        const row = await waveById(trx, waveId);
        if (!row || waveOf(row, day).status !== 'open') return 'closed';
        if (!(await castBallot(trx, waveId, ballotOf(token)))) return 'answered';
        await recordAnswer(trx, { waveId, answeredOn: day, ...answers, scores: { ...answers.scores } });
        return 'stored';
      });
    },
  };
}
