import type { Clock } from '../../platform/clock.js';
import { may } from '../../domain/policy.js';
import { randomBytes } from 'node:crypto';
import type { Viewer } from '../../platform/db/caseAccess.js';
import type { Db } from '../../platform/db/database.js';
import type { Executor } from '../../platform/db/executor.js';
import { releaseAttempt, reserveAttempts } from '../../platform/security/rateLimit.repository.js';
import type { Language } from '../../domain/vocabulary.js';
import {
  insertSurvey,
  storeAnswers,
  surveyByTokenHash,
  surveyOfComplaint,
  type SurveyAnswers,
} from './survey.repository.js';
import type { AuditService } from '../../platform/audit/audit.service.js';
import { hmacHex, hmacHexAll, type Keys } from '../../platform/security/keys.js';
import type { OutboxService } from '../../platform/mail/outbox.service.js';

/** A survey link works for this many days after it is sent, and once. */
export const SURVEY_VALID_DAYS = 90;
const DAY_MS = 86_400_000;

/** Links that lead nowhere (unknown, malformed), from one client, per window: then even a good link waits. */
export const SURVEY_LIMITS = { perClient: 20, windowMs: 15 * 60 * 1000 };

/** 256 random bits, base64url: 43 characters (the request log hides such path segments). */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/**
 * What a survey link leads to. `open`: the form, in the survey's language. `answered`: used
 * already. `unavailable`: unknown, malformed or expired (one answer for all three). `limited`: too
 * many links that led nowhere came from this client lately.
 */
export type SurveyLink =
  | { kind: 'open'; language: Language }
  | { kind: 'answered'; language: Language }
  | { kind: 'unavailable'; language?: Language }
  | { kind: 'limited' };

/** A case's survey as the case page shows it: when it was sent and answered, the scores and the comment. */
export type CaseSurveyView = SurveyAnswers & { sentAt: Date; answeredAt: Date | null; language: Language };

export type SurveyService = ReturnType<typeof surveyService>;

/**
 * Closing surveys (issue #7): invited by email when a case closes, answered once through a link
 * whose token is stored only as a keyed hash. Answers feed the monthly rollups; the comment is
 * kept internal and never leaves this table for anything public.
 */
export function surveyService(deps: {
  db: Db;
  audit: AuditService;
  outbox: OutboxService;
  keys: Keys;
  publicBaseUrl: string;
  clock: Clock;
}) {
  const now = deps.clock;
  const clientKey = deps.keys.client;
  const tokenHash = (token: string) => hmacHex(deps.keys.surveyToken, token);
  const tokenHashes = (token: string) => hmacHexAll(deps.keys.rings.surveyToken, token);
  // The client's address is never stored: only a keyed hash of it, as a bucket name.
  const clientBucket = (client: string) => `v:${hmacHex(clientKey, client).slice(0, 32)}`;
  const oldestValid = (at: Date) => new Date(at.getTime() - SURVEY_VALID_DAYS * DAY_MS);

  /** The survey a link names; the client's budget of dead links is spent first and given back on a hit. */
  async function resolve(token: string, client: string, at: Date) {
    const bucket = clientBucket(client);
    // Counted before it is judged (R7), so links tried together cannot all pass under the limit.
    const counts = await reserveAttempts(deps.db, [{ bucket }], at, SURVEY_LIMITS.windowMs);
    if ((counts.get(bucket) ?? 1) > SURVEY_LIMITS.perClient) return 'limited' as const;
    const survey = TOKEN_SHAPE.test(token) ? await surveyByTokenHash(deps.db, tokenHashes(token)) : undefined;
    if (survey) await releaseAttempt(deps.db, [], [bucket]);
    return survey;
  }

  function linkOf(survey: Awaited<ReturnType<typeof resolve>>, at: Date): SurveyLink {
    if (survey === 'limited') return { kind: 'limited' };
    if (!survey) return { kind: 'unavailable' };
    if (survey.answered_at) return { kind: 'answered', language: survey.language };
    if (survey.sent_at <= oldestValid(at)) return { kind: 'unavailable', language: survey.language };
    return { kind: 'open', language: survey.language };
  }

  return {
    /**
     * In the closing transaction: the complainant's survey and its invitation, one recipient, in
     * their language. Nothing when the complaint already has a survey or is anonymous.
     */
    async invite(
      trx: Executor,
      invitation: { complaintId: string; trackingNumber: string; to: string; language: Language; at: Date },
    ): Promise<boolean> {
      const token = randomBytes(32).toString('base64url');
      const id = await insertSurvey(trx, {
        complaintId: invitation.complaintId,
        tokenHash: tokenHash(token),
        language: invitation.language,
        sentAt: invitation.at,
      });
      if (!id) return false;
      await deps.outbox.enqueue(trx, {
        to: invitation.to,
        template: 'surveyInvitation',
        language: invitation.language,
        data: {
          trackingNumber: invitation.trackingNumber,
          surveyUrl: `${deps.publicBaseUrl}/survey/${token}`,
          validDays: SURVEY_VALID_DAYS,
        },
      });
      return true;
    },

    /** Where a link leads now. */
    async open(token: string, client: string): Promise<SurveyLink> {
      const at = now();
      return linkOf(await resolve(token, client, at), at);
    },

    /**
     * For the case page: the survey of a case the viewer can already see, for supervisors only
     * (the comment is internal, for improving the agency's work, not for the case's investigators).
     */
    async forCaseFile(viewer: Viewer, complaintId: string): Promise<CaseSurveyView | undefined> {
      if (!may(viewer, 'surveys.read')) return undefined;
      const row = await surveyOfComplaint(deps.db, complaintId);
      if (!row) return undefined;
      const { respect, understood, informed, explained, trust, comment, language } = row;
      return {
        sentAt: row.sent_at,
        answeredAt: row.answered_at,
        language,
        respect,
        understood,
        informed,
        explained,
        trust,
        comment,
      };
    },

    /**
     * Stores valid answers once, in one UPDATE guarded by `answered_at is null` and the expiry:
     * of two simultaneous submissions, one stores and the other is told the link is used. The
     * caller opened the link first (and so spent the client's budget on a dead one).
     */
    async answer(
      token: string,
      answers: SurveyAnswers,
      requestId?: string,
    ): Promise<{ kind: 'stored'; language: Language } | Exclude<SurveyLink, { kind: 'open' }>> {
      if (!TOKEN_SHAPE.test(token)) return { kind: 'unavailable' };
      const at = now();
      const hashes = tokenHashes(token);
      const stored = await deps.db.transaction().execute(async (trx) => {
        const row = await storeAnswers(trx, { tokenHashes: hashes }, answers, at, oldestValid(at));
        if (row) {
          await deps.audit.record(trx, {
            type: 'survey.answered',
            actor: { type: 'public' },
            object: { type: 'survey', id: row.id },
            requestId,
          });
        }
        return row;
      });
      if (stored) return { kind: 'stored', language: stored.language };
      const link = linkOf(await surveyByTokenHash(deps.db, hashes), at);
      // Between reading and writing, the link was used by another submission (or ran out).
      return link.kind === 'open' ? { kind: 'answered', language: link.language } : link;
    },
  };
}
