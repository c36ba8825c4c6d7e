import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/database.js';
import { policyOverrides, policyRowForUpdate, savePolicy } from '../../platform/deadlines/deadline.repository.js';
import { DEADLINE_KINDS, type DeadlineKind } from '../../../workflows/complaint.machine.js';
import { DEFAULT_POLICIES, type DeadlinePolicy, type DeadlineUnit } from '../../../workflows/deadline.policy.js';
import type { AuditService } from '../../platform/audit/audit.service.js';

export const DEADLINE_UNITS: readonly DeadlineUnit[] = ['business_days', 'calendar_days', 'months'];

export interface PolicyView extends DeadlinePolicy {
  kind: DeadlineKind;
  statutory: boolean;
  /** When an admin last changed it; null while the default holds. */
  changedAt: Date | null;
}

export type AdminDeadlineService = ReturnType<typeof adminDeadlineService>;

export function isDeadlineKind(kind: string): kind is DeadlineKind {
  return (DEADLINE_KINDS as readonly string[]).includes(kind);
}

/**
 * The deadline policy for admins. The deadline service reads the policy once per transaction that
 * starts clocks (never across requests), so a change counts from the next clock; running clocks
 * keep their due dates.
 */
export function adminDeadlineService(deps: { db: Db; audit: AuditService; clock: Clock }) {
  const now = deps.clock;

  return {
    /** Every kind of clock with the policy in force: the admin's where set, else the default. */
    async policies(): Promise<PolicyView[]> {
      const rows = await policyOverrides(deps.db);
      return DEADLINE_KINDS.map((kind) => {
        const row = rows.find((r) => r.kind === kind);
        if (!row) return { kind, ...DEFAULT_POLICIES[kind], statutory: kind === 'statutory', changedAt: null };
        const { amount, unit, warn_before_days: warnBeforeDays, statutory, updated_at: changedAt } = row;
        return { kind, amount, unit, warnBeforeDays, statutory, changedAt };
      });
    },

    async policy(kind: DeadlineKind): Promise<PolicyView> {
      return (await this.policies()).find((p) => p.kind === kind)!;
    },

    async change(by: string, kind: DeadlineKind, next: DeadlinePolicy, requestId?: string): Promise<void> {
      await deps.db.transaction().execute(async (trx) => {
        const row = await policyRowForUpdate(trx, kind);
        const old = row
          ? { amount: row.amount, unit: row.unit, warnBeforeDays: row.warn_before_days }
          : DEFAULT_POLICIES[kind];
        if (old.amount === next.amount && old.unit === next.unit && old.warnBeforeDays === next.warnBeforeDays) return;
        await savePolicy(trx, {
          kind,
          amount: next.amount,
          unit: next.unit,
          warn_before_days: next.warnBeforeDays,
          statutory: row?.statutory ?? kind === 'statutory',
          updated_at: now(),
        });
        await deps.audit.record(trx, {
          type: 'deadline.policy.change',
          actor: { type: 'user', id: by },
          object: { type: 'deadline_policy', id: kind },
          requestId,
          details: {
            oldAmount: old.amount,
            oldUnit: old.unit,
            oldWarnBeforeDays: old.warnBeforeDays,
            newAmount: next.amount,
            newUnit: next.unit,
            newWarnBeforeDays: next.warnBeforeDays,
          },
        });
      });
    },
  };
}
