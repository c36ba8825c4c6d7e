import type { Clock } from '../clock.js';
import { Conflict, NotFound } from '../../domain/errors.js';
import type { Db } from '../db/database.js';
import { complaintForTransition, insertComplaint, saveSnapshot, type NewComplaint } from './complaint.repository.js';
import type { ReferenceService } from '../reference/reference.service.js';
import type { Executor } from '../db/executor.js';
import { MACHINE_VERSION } from '../../../workflows/complaint.machine.js';
import { mayActorSend, type Actor } from '../../../workflows/complaint.permissions.js';
import {
  advance,
  persist,
  publicStageOf,
  restore,
  stageOf,
  startComplaint,
  stateName,
} from '../../../workflows/complaint.snapshot.js';
import type { ComplaintEvent } from '../../../workflows/complaint.types.js';
import type { AuditActor, AuditService } from '../audit/audit.service.js';
import type { EffectContext } from './workflow.effects.js';
import type { Effect } from '../../../workflows/complaint.snapshot.js';

type WithoutAt<T> = T extends unknown ? Omit<T, 'at'> : never;
/** An event as a caller sends it; dispatch stamps the time. */
export type DispatchEvent = WithoutAt<ComplaintEvent>;

export class ComplaintNotFound extends NotFound {
  constructor() {
    super('complaint not found');
    this.name = 'ComplaintNotFound';
  }
}

/** Someone changed the case since the caller read it, or at the same moment: HTTP 409, nothing changed. */
export class ConflictError extends Conflict {
  constructor() {
    super('the complaint changed since it was read');
    this.name = 'ConflictError';
  }
}

/** Not an event this actor may send: answered like a case they cannot see (R14). */
export class ForbiddenEvent extends NotFound {
  constructor(eventType: string) {
    super(`not allowed to send ${eventType}`);
    this.name = 'ForbiddenEvent';
  }
}

export interface DispatchOptions {
  /** The version the user acted on (from the page they saw); a different current version is a conflict. */
  expectedVersion?: number;
  requestId?: string | undefined;
  /** The caller's own writes (an assignment row, draft findings), in the same transaction. */
  within?: (trx: Executor) => Promise<void>;
}

export interface DispatchResult {
  state: string;
  version: number;
}

export type WorkflowService = ReturnType<typeof workflowService>;

type RunEffects = (trx: Executor, effects: Effect[], ctx: EffectContext) => Promise<void>;

export function auditActorOf(actor: Actor): AuditActor {
  return actor.kind === 'staff'
    ? { type: 'user', id: actor.userId }
    : { type: actor.kind === 'system' ? 'system' : 'public' };
}

/**
 * The event's details for the audit log: its type, time, and payload fields that are codes, ids or
 * an agency's name. Free text (a reopening reason) belongs in the case notes, not the chain (R2).
 */
const AUDITED_FIELDS = new Set(['at', 'agency', 'investigatorId', 'reconsiderationUntil']);
const AUDITED_REASONS = new Set(['DISMISS', 'TOLL']); // their reasons come from fixed lists
function eventDetails(event: ComplaintEvent): Record<string, string> {
  const details: Record<string, string> = { event: event.type };
  for (const [key, value] of Object.entries(event)) {
    if (AUDITED_FIELDS.has(key) || (key === 'reason' && AUDITED_REASONS.has(event.type))) details[key] = String(value);
  }
  return details;
}

export function workflowService(deps: {
  db: Db;
  audit: AuditService;
  runEffects: RunEffects;
  clock: Clock;
  reference: Pick<ReferenceService, 'current'>;
}) {
  const now = deps.clock;

  async function transition(
    trx: Executor,
    complaintId: string,
    input: DispatchEvent,
    actor: Actor,
    options: DispatchOptions,
  ): Promise<DispatchResult> {
    const row = await complaintForTransition(trx, complaintId);
    if (!row) throw new ComplaintNotFound();
    if (options.expectedVersion !== undefined && options.expectedVersion !== row.version) throw new ConflictError();
    if (!mayActorSend(actor, input.type)) throw new ForbiddenEvent(input.type);
    const at = now();
    const event = { ...input, at: at.toISOString() } as ComplaintEvent;
    const current = restore(row.snapshot, row.machine_version);
    const { snapshot, effects } = advance(current, event);
    const stage = stageOf(snapshot);
    const publicStage = publicStageOf(snapshot);
    const saved = await saveSnapshot(trx, complaintId, row.version, {
      snapshot: persist(snapshot),
      machineVersion: MACHINE_VERSION,
      stage,
      state: stateName(snapshot),
      outcome: snapshot.context.outcome,
      at,
      stageChanged: stage !== row.stage,
      reached: publicStage !== publicStageOf(current) ? { stage: publicStage, at: at.toISOString() } : undefined,
    });
    if (!saved) throw new ConflictError();
    await options.within?.(trx);
    await deps.runEffects(trx, effects, { complaintId, trackingNumber: row.tracking_number, at, event });
    // Last: the chain's lock is then held only for the append, not while effects wait on rows.
    await deps.audit.record(trx, {
      type: 'complaint.transition',
      actor: auditActorOf(actor),
      object: { type: 'complaint', id: complaintId },
      requestId: options.requestId,
      details: { ...eventDetails(event), from: row.state, to: stateName(snapshot), version: row.version + 1 },
    });
    return { state: stateName(snapshot), version: row.version + 1 };
  }

  return {
    /** Creates a complaint in its initial state; the caller's transaction also writes the rest of it. */
    async create(
      trx: Executor,
      complaint: NewComplaint,
      options: {
        actor: Actor;
        requestId?: string | undefined;
        statutoryFrom?: Date | string;
        within?: (trx: Executor, id: string) => Promise<void>;
        /** Whom the complainant's mail goes to, as `within` writes them (contactAmong): not read back. */
        contact?: EffectContext['contact'];
        /** Filled in with the due time of each clock started. */
        clocksStarted?: EffectContext['clocksStarted'];
      },
    ): Promise<string> {
      const at = now();
      const { snapshot, effects } = startComplaint();
      // The statutory clock counts from discovery (California) or, where the agency's setting says
      // so, from the incident (New York); the length itself is the 'statutory' deadline policy.
      const basis = (await deps.reference.current(trx)).statutoryBasis;
      const statutoryFrom =
        options.statutoryFrom ??
        (basis === 'incident' ? complaint.incident_date : complaint.discovered_on) ??
        complaint.received_at ??
        at;
      const id = await insertComplaint(trx, {
        ...complaint,
        snapshot: JSON.stringify(persist(snapshot)),
        machine_version: MACHINE_VERSION,
        stage: stageOf(snapshot),
        state: stateName(snapshot),
        received_at: complaint.received_at ?? at,
        stage_changed_at: complaint.received_at ?? at,
        public_history: JSON.stringify([
          { stage: publicStageOf(snapshot), at: new Date(complaint.received_at ?? at).toISOString() },
        ]),
      });
      await options.within?.(trx, id);
      // Clocks run from receipt: a complaint taken by phone or mail and entered later is not
      // given extra time by the delay in entering it.
      const receivedAt = complaint.received_at === undefined ? at : new Date(complaint.received_at);
      await deps.runEffects(trx, effects, {
        complaintId: id,
        trackingNumber: complaint.tracking_number,
        at: receivedAt,
        event: { type: 'CREATE' },
        statutoryFrom,
        contact: options.contact,
        clocksStarted: options.clocksStarted,
      });
      await deps.audit.record(trx, {
        type: 'complaint.create',
        actor: auditActorOf(options.actor),
        object: { type: 'complaint', id },
        requestId: options.requestId,
        details: { state: stateName(snapshot), channel: String(complaint.channel) },
      });
      return id;
    },

    /**
     * One transition, one transaction: load, check the role and the machine, compute the next
     * snapshot, write it only where the version still matches, run the effects, and audit.
     */
    async dispatch(
      complaintId: string,
      input: DispatchEvent,
      actor: Actor,
      options: DispatchOptions = {},
    ): Promise<DispatchResult> {
      return deps.db.transaction().execute((trx) => transition(trx, complaintId, input, actor, options));
    },

    /**
     * The same transition inside the caller's transaction, for a use case whose own writes decide
     * whether the case moves (the board's last vote): all of it commits or none does.
     */
    dispatchIn(
      trx: Executor,
      complaintId: string,
      input: DispatchEvent,
      actor: Actor,
      options: DispatchOptions = {},
    ): Promise<DispatchResult> {
      return transition(trx, complaintId, input, actor, options);
    },
  };
}
