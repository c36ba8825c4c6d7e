import type { Platform } from '../index.js';
import { effectRunner, type SurveyInvitations } from './workflow.effects.js';
import { workflowService } from './workflow.service.js';

/**
 * The workflow's dispatch on the platform: one transition is one transaction, with its effects
 * (deadlines, mail, the closing survey's invitation) in it.
 */
export function workflowDispatch(p: Platform, surveys: SurveyInvitations) {
  const { config } = p;
  return workflowService({
    db: p.db,
    audit: p.audit,
    runEffects: effectRunner({
      deadlines: p.deadlines,
      outbox: p.outbox,
      surveys,
      publicBaseUrl: config.publicBaseUrl,
      timeZone: config.agencyTimeZone,
      // One address gets a few receipts a day, however many complaints name it (#15 item 6).
      receiptQuota: (email) => p.quotas.taking('receipt', email.trim().toLowerCase(), 1, config.limits.receiptsPerDay),
    }),
    clock: p.clock,
    reference: p.reference,
  });
}

/** The platform with the workflow's dispatch: what the features are built on. */
export type Core = Platform & { workflow: ReturnType<typeof workflowDispatch> };
