import { initialTransition, transition, type SnapshotFrom, type StateValue } from 'xstate';
import { MACHINE_VERSION, complaintMachine, type DeadlineKind } from './complaint.machine.js';
import type { ComplaintContext, ComplaintEvent, PublicStage, Stage } from './complaint.types.js';

export type ComplaintSnapshot = SnapshotFrom<typeof complaintMachine>;

/** What is stored in complaints.snapshot, with complaints.machine_version beside it. */
export interface StoredSnapshot {
  value: StateValue;
  context: ComplaintContext;
}

/** The side effects a transition asks for, for the server to carry out in the same transaction. */
export type Effect =
  | { type: 'notifyComplainant'; stage: PublicStage }
  | { type: 'notifyStaff'; about: 'assignment' | 'withdrawal' | 'reconsideration' | 'information' | 'contact' }
  | { type: 'startClock'; kind: DeadlineKind }
  | { type: 'stopClock'; kind: DeadlineKind }
  | { type: 'pauseClocks' }
  | { type: 'resumeClocks' };

const EFFECT_TYPES = new Set([
  'notifyComplainant',
  'notifyStaff',
  'startClock',
  'stopClock',
  'pauseClocks',
  'resumeClocks',
]);

function effectsOf(actions: ReadonlyArray<{ type: string; params?: unknown }>): Effect[] {
  return actions
    .filter((a) => EFFECT_TYPES.has(a.type))
    .map((a) => ({ type: a.type, ...(a.params as object | undefined) }) as Effect);
}

export function startComplaint(): { snapshot: ComplaintSnapshot; effects: Effect[] } {
  const [snapshot, actions] = initialTransition(complaintMachine);
  return { snapshot, effects: effectsOf(actions) };
}

export class IllegalTransition extends Error {
  constructor(
    public readonly state: string,
    public readonly eventType: string,
  ) {
    super(`${eventType} is not possible in ${state}`);
    this.name = 'IllegalTransition';
  }
}

/** The next snapshot and its effects; throws IllegalTransition when the machine refuses the event. */
export function advance(
  snapshot: ComplaintSnapshot,
  event: ComplaintEvent,
): { snapshot: ComplaintSnapshot; effects: Effect[] } {
  if (!snapshot.can(event)) throw new IllegalTransition(stateName(snapshot), event.type);
  const [next, actions] = transition(complaintMachine, snapshot, event);
  return { snapshot: next, effects: effectsOf(actions) };
}

export function persist(snapshot: ComplaintSnapshot): StoredSnapshot {
  return { value: snapshot.value, context: snapshot.context };
}

/** Restores a stored snapshot, bringing one of an older machine version forward first. */
export function restore(stored: unknown, version: number): ComplaintSnapshot {
  const current = migrate(stored, version);
  return complaintMachine.resolveState({ value: current.value, context: current.context });
}

function migrate(stored: unknown, version: number): StoredSnapshot {
  if (version > MACHINE_VERSION) throw new Error(`snapshot of machine version ${version} is newer than this code`);
  const shape = stored as Partial<StoredSnapshot>;
  if (version === MACHINE_VERSION) return shape as StoredSnapshot;
  // Version 0: synthetic load-test rows, written before the machine existed; only the state is kept.
  return { value: shape.value ?? 'intake', context: { ...initialContextOf(), ...(shape.context ?? {}) } };
}

function initialContextOf(): ComplaintContext {
  return startComplaint().snapshot.context;
}

/** 'investigation.active', 'mediation', ... */
export function stateName(snapshot: { value: StateValue }): string {
  const parts: string[] = [];
  let value: StateValue = snapshot.value;
  while (typeof value === 'object') {
    const [key, child] = Object.entries(value)[0] as [string, StateValue];
    parts.push(key);
    value = child;
  }
  parts.push(value);
  return parts.join('.');
}

export function stageOf(snapshot: { value: StateValue }): Stage {
  return stateName(snapshot).split('.')[0] as Stage;
}

const PUBLIC_STAGE: Record<string, PublicStage> = {
  'intake.received': 'received',
  'intake.triage': 'underReview',
  mediation: 'underReview',
  investigation: 'underInvestigation',
  boardReview: 'boardReview',
  disposition: 'decided',
  closed: 'closed',
};

/** The stage name the public sees (DESIGN.md): Received, Under review, Under investigation, ... */
export function publicStageOf(snapshot: { value: StateValue }): PublicStage {
  const name = stateName(snapshot);
  return PUBLIC_STAGE[name] ?? PUBLIC_STAGE[name.split('.')[0]!]!;
}
