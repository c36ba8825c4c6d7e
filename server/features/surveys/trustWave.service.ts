import { may } from '../../domain/policy.js';
import { notFound } from '../../domain/errors.js';
import type { Viewer } from '../../domain/vocabulary.js';
import type { AuditService } from '../../platform/audit/audit.service.js';
import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/database.js';
import { closeWave, insertWave, listWaves, lockWaveOpenings, overlapsWave } from './trustWave.repository.js';
import { agencyToday, waveOf, type TrustWave } from './trustWave.model.js';
import type { TrustItem } from './trustSurvey.bank.js';

/** The waves the admin page lists: enough for years of quarterly waves. */
const LISTED_WAVES = 100;

export interface NewWave {
  opensOn: string;
  closesOn: string;
  items: TrustItem[];
  asksDemographics: boolean;
}

export type TrustWaveService = ReturnType<typeof trustWaveService>;

/**
 * The admins' side of community trust surveys (#19 part 4): list the waves with their numbers of
 * answers, open one (its dates must not overlap another's that is still to come or under way),
 * close one early. Opening and closing are audited in the same transaction.
 */
export function trustWaveService(deps: { db: Db; audit: AuditService; clock: Clock; timeZone: string }) {
  const today = () => agencyToday(deps.clock, deps.timeZone);
  const check = (viewer: Viewer) => {
    if (!may(viewer, 'surveys.waves')) throw notFound();
  };

  return {
    today,

    async list(viewer: Viewer): Promise<Array<TrustWave & { respondents: number }>> {
      check(viewer);
      const day = today();
      const rows = await listWaves(deps.db, LISTED_WAVES);
      return rows.map((row) => ({ ...waveOf(row, day), respondents: Number(row.respondents) }));
    },

    /** Opens a wave; says why not when it starts in the past or overlaps another wave. */
    async open(
      viewer: Viewer,
      wave: NewWave,
      requestId?: string,
    ): Promise<{ id: string } | { problem: 'past' | 'overlap' }> {
      check(viewer);
      const day = today();
      if (wave.opensOn < day) return { problem: 'past' };
      return deps.db.transaction().execute(async (trx) => {
        await lockWaveOpenings(trx);
        if (await overlapsWave(trx, wave, day)) return { problem: 'overlap' as const };
        const id = await insertWave(trx, { ...wave, createdBy: viewer.userId });
        await deps.audit.record(trx, {
          type: 'trustWave.open',
          actor: { type: 'user', id: viewer.userId },
          object: { type: 'trustWave', id },
          requestId,
          details: { ...wave },
        });
        return { id };
      });
    },

    /** Closes a wave now (or cancels one not begun); false when it was over already. */
    async close(viewer: Viewer, id: string, requestId?: string): Promise<boolean> {
      check(viewer);
      return deps.db.transaction().execute(async (trx) => {
        const closed = await closeWave(trx, id, deps.clock(), today());
        if (!closed) return false;
        await deps.audit.record(trx, {
          type: 'trustWave.close',
          actor: { type: 'user', id: viewer.userId },
          object: { type: 'trustWave', id },
          requestId,
          details: { opensOn: closed.opens_on, closesOn: closed.closes_on },
        });
        return true;
      });
    },
  };
}
