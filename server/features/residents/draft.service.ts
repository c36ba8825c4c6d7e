import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/database.js';
import type { Executor } from '../../platform/db/executor.js';
import type { EvidenceService, StoredEvidence } from '../../platform/evidence/evidence.service.js';
import {
  deleteDraft,
  draftData,
  draftDataForUpdate,
  insertDraft,
  saveDraftData,
  takeExpiredDrafts,
} from './draft.repository.js';

const DRAFT_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** A form in progress: each step's validated answers, and the evidence already uploaded. */
export interface DraftData {
  answers: Partial<Record<string, unknown>>;
  evidence: StoredEvidence[];
}

const draftKey = (secret: string) => createHash('sha256').update(secret).digest('hex');

/**
 * The complaint form in progress, kept for a day after its last change under the hash of a secret
 * only the resident's browser holds. The intake service starts one (within its limits) and deletes
 * it when the complaint is filed.
 */
export function draftService(deps: { db: Db; evidence: EvidenceService; clock: Clock }) {
  const now = deps.clock;
  return {
    /** A new form: the secret goes to the resident's browser only; the database keeps its hash. */
    async start(): Promise<string> {
      const secret = randomBytes(32).toString('base64url');
      await insertDraft(deps.db, draftKey(secret), new Date(now().getTime() + DRAFT_LIFETIME_MS));
      return secret;
    },

    async read(secret: string): Promise<DraftData | undefined> {
      const data = (await draftData(deps.db, draftKey(secret), now())) as Partial<DraftData> | undefined;
      return data && { answers: data.answers ?? {}, evidence: data.evidence ?? [] };
    },

    /**
     * Changes the form so far and keeps it for another day: `change` gets the draft as it is now,
     * with its row locked, so two requests at once (two uploads in two tabs) apply one after the
     * other and neither loses the other's work. It answers undefined to change nothing. The result
     * is 'expired' when the draft is gone, else what `change` answered.
     */
    async change<T>(
      secret: string,
      change: (draft: DraftData) => { data?: DraftData; result: T },
    ): Promise<T | 'expired'> {
      return deps.db.transaction().execute(async (trx) => {
        const at = now();
        const key = draftKey(secret);
        const data = (await draftDataForUpdate(trx, key, at)) as Partial<DraftData> | undefined;
        if (!data) return 'expired' as const;
        const changed = change({ answers: data.answers ?? {}, evidence: data.evidence ?? [] });
        if (changed.data) await saveDraftData(trx, key, changed.data, at, new Date(at.getTime() + DRAFT_LIFETIME_MS));
        return changed.result;
      });
    },

    /** Deletes the draft a complaint was filed from, in the filing's transaction. */
    async deleteIn(trx: Executor, secret: string): Promise<void> {
      await deleteDraft(trx, draftKey(secret));
    },

    /** Deletes drafts nobody finished, with their uploaded files. */
    async purgeExpired(): Promise<number> {
      let purged = 0;
      for (;;) {
        const batch = (await takeExpiredDrafts(deps.db, now(), 100)) as Partial<DraftData>[];
        for (const draft of batch) {
          await deps.evidence.discard((draft.evidence ?? []).flatMap((e) => [e.storedName, e.viewingName]));
        }
        purged += batch.length;
        if (batch.length < 100) return purged;
      }
    },
  };
}
