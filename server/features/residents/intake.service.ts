import type { Clock } from '../../platform/clock.js';
import { SubmissionKeyReused, TooManyFromClient, UnknownChoice } from './intake.errors.js';
import type { Db } from '../../platform/db/database.js';
import { isUniqueViolation } from '../../platform/db/errors.js';
import {
  acknowledgeDue,
  complaintBySubmission,
  forgetSubmissionKeys,
  insertComplaintParts,
  receiptShownSince,
  takeReceipt,
} from './intake.repository.js';
import type { ReferenceData, ReferenceService } from '../../platform/reference/reference.service.js';
import { draftService } from './draft.service.js';
import { auditEvidence, complaintRowOf, partsOf } from './complaintParts.js';
import type { ComplaintSubmission } from './complaint.schemas.js';
import type { AuditService } from '../../platform/audit/audit.service.js';
import * as codes from '../../platform/workflow/complaint.codes.js';
import type { EvidenceService, StoredEvidence } from '../../platform/evidence/evidence.service.js';
import { hmacHex, hmacHexAll, type Keys } from '../../platform/security/keys.js';
import type { WorkflowService } from '../../platform/workflow/workflow.service.js';
import { contactAmong } from '../../platform/workflow/contact.js';
import type { Config } from '../../platform/config.js';
import type { Quotas } from '../../platform/security/quotas.js';

/** How long a submission's key (an API client's Idempotency-Key) answers with the first receipt. */
export const SUBMISSION_KEY_LIFETIME_MS = 24 * 60 * 60 * 1000;
/** How long after filing the browser that filed may show its receipt (and access code) again. */
export const RECEIPT_LIFETIME_MS = 60 * 60 * 1000;
/** How long after the receipt was shown its page may be shown again in another language. */
export const RECEIPT_RESHOW_MS = 5 * 60 * 1000;

export type { DraftData } from './draft.service.js';

export interface Receipt {
  complaintId: string;
  trackingNumber: string;
  accessCode: string;
  receivedAt: Date;
  /** When the agency will have acknowledged the complaint. */
  acknowledgeBy: Date | undefined;
  /** False when this was a repeat of a submission already filed (R23). */
  created: boolean;
}

export { SubmissionKeyReused, TooManyFromClient, UnknownChoice } from './intake.errors.js';

export type IntakeService = ReturnType<typeof intakeService>;

export function intakeService(deps: {
  db: Db;
  workflow: WorkflowService;
  audit: AuditService;
  evidence: EvidenceService;
  keys: Keys;
  quotas: Quotas;
  reference: Pick<ReferenceService, 'current' | 'carry'>;
  limits: Pick<Config['limits'], 'filingsPerHour' | 'draftsPerHour'>;
  clock: Clock;
}) {
  const now = deps.clock;
  const drafts = draftService({ db: deps.db, evidence: deps.evidence, clock: deps.clock });
  const submissionToken = (secret: string) => hmacHex(deps.keys.submission, secret);
  /** The secret's keyed hash under every key of the ring: what an older key stored is still found. */
  const submissionTokens = (secret: string) => hmacHexAll(deps.keys.rings.submission, secret);

  const bodyHashes = (submission: ComplaintSubmission) =>
    hmacHexAll(deps.keys.rings.submission, `body:${JSON.stringify(submission)}`);

  async function receiptOf(
    row: { id: string; tracking_number: string; received_at: Date; access_code_hash: string | null },
    secret: string,
    created: boolean,
    acknowledgeBy?: Date,
  ): Promise<Receipt> {
    return {
      complaintId: row.id,
      trackingNumber: row.tracking_number,
      accessCode: codes.accessCodeOf(deps.keys.rings.accessCode, secret, row.access_code_hash),
      receivedAt: row.received_at,
      acknowledgeBy: acknowledgeBy ?? (await acknowledgeDue(deps.db, row.id)),
      created,
    };
  }

  /**
   * The receipt of an earlier submission with this secret (R23), if its key still holds: a key is
   * forgotten a day after filing, and one sent with another body is refused.
   */
  async function earlierReceipt(secret: string, hashes: string[]): Promise<Receipt | undefined> {
    const tokens = submissionTokens(secret);
    const row = await complaintBySubmission(deps.db, tokens);
    if (!row) return undefined;
    const expired = new Date(now().getTime() - SUBMISSION_KEY_LIFETIME_MS);
    if (row.received_at < expired) {
      await forgetSubmissionKeys(deps.db, expired, tokens);
      return undefined;
    }
    if (row.submission_hash !== null && !hashes.includes(row.submission_hash)) throw new SubmissionKeyReused();
    return receiptOf(row, secret, false);
  }

  async function checkChoices(submission: ComplaintSubmission): Promise<ReferenceData> {
    const reference = await deps.reference.current();
    if (submission.district !== undefined && !reference.districts.some((d) => d.code === submission.district)) {
      throw new UnknownChoice('district');
    }
    const categories = new Set(reference.categories.map((c) => c.code));
    if (submission.categories.some((c) => !categories.has(c))) throw new UnknownChoice('categories');
    return reference;
  }

  return {
    /** A new form for `client` (an address), unless it started too many this hour. */
    async startDraft(client?: string): Promise<string> {
      if (client !== undefined && !(await deps.quotas.take('draft', client, 1, deps.limits.draftsPerHour))) {
        throw new TooManyFromClient('draft');
      }
      return drafts.start();
    },

    draft: drafts.read,
    changeDraft: drafts.change,

    /**
     * Files a complaint through the workflow, once per secret (R23): a repeated or simultaneous
     * submission with the same secret answers with the receipt of the first. The secret is the
     * form's draft secret or the API client's idempotency key; the access code is derived from it.
     */
    async submit(
      submission: ComplaintSubmission,
      options: {
        channel: 'web' | 'api';
        secret: string;
        evidence?: StoredEvidence[];
        /** The draft this came from, deleted in the same transaction. */
        draftSecret?: string;
        requestId?: string;
        /** Who files (an address), held to so many filings an hour; a repeat of a filing is not counted. */
        client?: string;
      },
    ): Promise<Receipt> {
      const hashes = bodyHashes(submission);
      const earlier = await earlierReceipt(options.secret, hashes);
      if (earlier) return earlier;
      const reference = await checkChoices(submission);
      if (
        options.client !== undefined &&
        !(await deps.quotas.take('filing', options.client, 1, deps.limits.filingsPerHour))
      ) {
        throw new TooManyFromClient('filing');
      }
      const evidence = options.evidence ?? [];
      const parts = partsOf(submission, evidence);
      const token = submissionToken(options.secret);
      const accessCode = codes.accessCodeFor(deps.keys.accessCode, options.secret);
      for (let attempt = 1; ; attempt++) {
        // What the receipt shows is known here: the complaint is not read back.
        const filed = {
          tracking_number: codes.newTrackingNumber(),
          access_code_hash: codes.hashAccessCode(deps.keys.accessCode, accessCode),
          received_at: now(),
        };
        let id: string;
        const clocksStarted = new Map<string, Date>();
        try {
          id = await deps.db.transaction().execute((trx) => {
            deps.reference.carry(trx, reference);
            return deps.workflow.create(
              trx,
              {
                ...complaintRowOf(submission, options.channel),
                ...filed,
                submission_token: token,
                submission_hash: hashes[0]!,
              },
              {
                actor: { kind: 'complainant' },
                requestId: options.requestId,
                // The complainant (and anyone filing for them) exist before the workflow's first
                // effect, so the receipt email finds their address.
                contact: contactAmong(parts.people) ?? null,
                clocksStarted,
                within: async (t, id) => {
                  const attachmentIds = await insertComplaintParts(t, id, parts);
                  await auditEvidence(t, deps.audit, id, attachmentIds, evidence, options.requestId);
                  if (options.draftSecret) await drafts.deleteIn(t, options.draftSecret);
                },
              },
            );
          });
        } catch (error) {
          if (!isUniqueViolation(error)) throw error;
          // Either the same submission won a race (answer with its receipt) or, very rarely, the
          // random tracking number was taken (try another).
          const winner = await earlierReceipt(options.secret, hashes);
          if (winner) return winner;
          if (attempt >= 5) throw error;
          continue;
        }
        return receiptOf({ id, ...filed }, options.secret, true, clocksStarted.get('acknowledge'));
      }
    },

    /**
     * The receipt with its access code for the browser that filed, once (a shared computer must not
     * show it to the next person): 'shown' when it was shown already or the hour to show it is over.
     */
    async showReceiptOnce(secret: string, languageSwitch = false): Promise<Receipt | 'shown' | undefined> {
      const at = now();
      const tokens = submissionTokens(secret);
      const row =
        (await takeReceipt(deps.db, tokens, new Date(at.getTime() - RECEIPT_LIFETIME_MS), at)) ??
        // The person who just filed may switch the receipt's language: the same page, for minutes.
        (languageSwitch ? await receiptShownSince(deps.db, tokens, new Date(at.getTime() - RECEIPT_RESHOW_MS)) : null);
      if (row) return receiptOf(row, secret, true);
      return (await complaintBySubmission(deps.db, tokens)) ? 'shown' : undefined;
    },

    /** Whether this browser filed a complaint whose receipt it has not shown yet (within the hour). */
    async receiptWaiting(secret: string): Promise<boolean> {
      const row = await complaintBySubmission(deps.db, submissionTokens(secret));
      return Boolean(
        row && !row.receipt_shown_at && now().getTime() - row.received_at.getTime() <= RECEIPT_LIFETIME_MS,
      );
    },

    /** Forgets the submission keys of complaints filed more than a day ago (the sweeper). */
    forgetSubmissionKeys(): Promise<number> {
      return forgetSubmissionKeys(deps.db, new Date(now().getTime() - SUBMISSION_KEY_LIFETIME_MS));
    },

    purgeExpiredDrafts: drafts.purgeExpired,
  };
}
