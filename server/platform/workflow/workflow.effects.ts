import {
  assigneeContacts,
  complainantContact,
  decidedFindings,
  supervisorContacts,
  userContacts,
} from './complaint.repository.js';
import { lastDayOf } from '../../../workflows/deadline.policy.js';
import type { Executor, StatementGuard } from '../db/executor.js';
import type { Language } from '../../domain/vocabulary.js';
import type { Effect } from '../../../workflows/complaint.snapshot.js';
import type { ComplaintEvent } from '../../../workflows/complaint.types.js';
import type { DeadlineKind } from '../../../workflows/complaint.machine.js';
import type { DeadlineService } from '../deadlines/deadline.service.js';
import type { OutboxService } from '../mail/outbox.service.js';

export interface EffectContext {
  complaintId: string;
  trackingNumber: string;
  at: Date;
  event: ComplaintEvent | { type: 'CREATE' };
  /** The day the statutory clock counts from (discovery or incident, per policy). */
  statutoryFrom?: Date | string;
  /** Whom the complainant's mail goes to, when the caller knows (a filing): not read again; null for nobody. */
  contact?: { email: string; language: Language } | null | undefined;
  /** Filled in with the due time of each clock the effects start, for a caller that shows it (a receipt). */
  clocksStarted?: Map<string, Date> | undefined;
}

/** The effects that change a case's clocks: clocks being started are written before any of them. */
const CLOCK_EFFECTS = new Set<Effect['type']>(['startClock', 'stopClock', 'pauseClocks', 'resumeClocks']);

/** The closing survey's invitation (the surveys feature), sent in the transaction that closes the case. */
export interface SurveyInvitations {
  invite(
    trx: Executor,
    invitation: { complaintId: string; trackingNumber: string; to: string; language: Language; at: Date },
  ): Promise<unknown>;
}

/** Carries out what a transition asked for, inside the transition's transaction. */
export function effectRunner(deps: {
  deadlines: DeadlineService;
  outbox: OutboxService;
  surveys: SurveyInvitations;
  publicBaseUrl: string;
  timeZone: string;
  /** The quota of receipts to this address today, taken in the statement that queues one (see Quotas.taking). */
  receiptQuota?: (email: string) => StatementGuard;
}) {
  const statusUrl = `${deps.publicBaseUrl}/status`;
  const caseUrl = (id: string) => `${deps.publicBaseUrl}/staff/cases/${id}`;

  return async function run(trx: Executor, effects: Effect[], ctx: EffectContext): Promise<void> {
    // Clocks started are written together (one statement, #18), before any other effect on the
    // clocks and at the end: the mail in between never reads them.
    let starting: Array<{ kind: DeadlineKind; from: Date | string }> = [];
    const startClocks = async () => {
      if (starting.length === 0) return;
      const started = await deps.deadlines.start(trx, ctx.complaintId, starting, ctx.at);
      for (const [kind, due] of started) ctx.clocksStarted?.set(kind, due);
      starting = [];
    };
    for (const effect of effects) {
      if (effect.type !== 'startClock' && CLOCK_EFFECTS.has(effect.type)) await startClocks();
      switch (effect.type) {
        case 'startClock':
          starting.push({
            kind: effect.kind,
            from: effect.kind === 'statutory' ? (ctx.statutoryFrom ?? ctx.at) : ctx.at,
          });
          break;
        case 'stopClock':
          await deps.deadlines.stop(trx, ctx.complaintId, effect.kind, ctx.at);
          break;
        case 'pauseClocks':
          await deps.deadlines.pause(
            trx,
            ctx.complaintId,
            ctx.at,
            ctx.event.type === 'TOLL' ? ctx.event.reason : 'tolled',
          );
          break;
        case 'resumeClocks':
          await deps.deadlines.resume(trx, ctx.complaintId, ctx.at);
          break;
        case 'notifyComplainant': {
          const contact =
            ctx.contact === undefined ? await complainantContact(trx, ctx.complaintId) : (ctx.contact ?? undefined);
          if (!contact) break; // anonymous, or no email given
          if (effect.stage === 'decided' && ctx.event.type === 'BOARD_DECIDED') {
            const findings = await decidedFindings(trx, ctx.complaintId);
            await deps.outbox.enqueue(trx, {
              to: contact.email,
              template: 'decisionLetter',
              language: contact.language,
              data: {
                trackingNumber: ctx.trackingNumber,
                findings: findings.map((f) => ({
                  category: (contact.language === 'es' ? f.name_es : f.name_en) ?? f.category,
                  finding: f.finding ?? 'not_sustained',
                })),
                reconsiderationLastDay: lastDayOf(new Date(ctx.event.reconsiderationUntil), deps.timeZone),
                statusUrl,
              },
            });
          } else if (effect.stage === 'received') {
            const receipt = {
              to: contact.email,
              template: 'complaintReceived',
              language: contact.language,
              data: { trackingNumber: ctx.trackingNumber, statusUrl },
            } as const;
            // The address's quota taken and the receipt queued in one statement (#18).
            if (deps.receiptQuota) await deps.outbox.enqueueIf(trx, receipt, deps.receiptQuota(contact.email));
            else await deps.outbox.enqueue(trx, receipt);
          } else {
            await deps.outbox.enqueue(trx, {
              to: contact.email,
              template: 'stageChanged',
              language: contact.language,
              data: { trackingNumber: ctx.trackingNumber, stage: effect.stage, statusUrl },
            });
            // However it closed: the closing survey, a message of its own, once per complaint (issue #7).
            if (effect.stage === 'closed') {
              await deps.surveys.invite(trx, {
                complaintId: ctx.complaintId,
                trackingNumber: ctx.trackingNumber,
                to: contact.email,
                language: contact.language,
                at: ctx.at,
              });
            }
          }
          break;
        }
        case 'notifyStaff': {
          // An assignment is told to the new investigator; anything else to the investigator and supervisors.
          const people =
            ctx.event.type === 'ASSIGN'
              ? await userContacts(trx, [ctx.event.investigatorId])
              : [...(await assigneeContacts(trx, ctx.complaintId)), ...(await supervisorContacts(trx))];
          const unique = new Map(people.map((p) => [p.email.toLowerCase(), p]));
          for (const person of unique.values()) {
            await deps.outbox.enqueue(trx, {
              to: person.email,
              template: 'staffNotice',
              language: person.language,
              data: { trackingNumber: ctx.trackingNumber, about: effect.about, caseUrl: caseUrl(ctx.complaintId) },
            });
          }
          break;
        }
      }
    }
    await startClocks();
  };
}
