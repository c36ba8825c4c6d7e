import { expect } from 'chai';
import fc from 'fast-check';
import { MACHINE_VERSION } from '../../workflows/complaint.machine.js';
import {
  EVENT_TYPES,
  availableEvents,
  probeEvent,
  type Actor,
  type StaffRole,
} from '../../workflows/complaint.permissions.js';
import {
  IllegalTransition,
  advance,
  persist,
  publicStageOf,
  restore,
  startComplaint,
  stateName,
  type ComplaintSnapshot,
} from '../../workflows/complaint.snapshot.js';
import type { ComplaintEvent, ComplaintEventType } from '../../workflows/complaint.types.js';

const NOW = '2026-03-01T17:00:00.000Z';
const WINDOW_END = '2026-03-31T17:00:00.000Z';

function event(type: ComplaintEventType, at = NOW): ComplaintEvent {
  const probe = probeEvent(type, at);
  return probe.type === 'BOARD_DECIDED' ? { ...probe, reconsiderationUntil: WINDOW_END } : probe;
}

function walk(types: ComplaintEventType[]): ComplaintSnapshot {
  return types.reduce((snapshot, type) => advance(snapshot, event(type)).snapshot, startComplaint().snapshot);
}

const TO_INVESTIGATION: ComplaintEventType[] = ['BEGIN_TRIAGE', 'ACCEPT'];
const TO_DRAFTED: ComplaintEventType[] = [...TO_INVESTIGATION, 'ASSIGN', 'BEGIN_INVESTIGATION', 'DRAFT_FINDINGS'];
const TO_VOTING: ComplaintEventType[] = [...TO_DRAFTED, 'SUBMIT_FINDINGS', 'OPEN_VOTING'];

/** How to reach each state, and every event it accepts (with its target); all others are refused. */
const STATES: Record<string, { path: ComplaintEventType[]; accepts: Partial<Record<ComplaintEventType, string>> }> = {
  'intake.received': {
    path: [],
    accepts: { BEGIN_TRIAGE: 'intake.triage', WITHDRAW: 'closed', ADD_INFORMATION: 'intake.received' },
  },
  'intake.triage': {
    path: ['BEGIN_TRIAGE'],
    accepts: {
      ACCEPT: 'investigation.awaitingAssignment',
      OFFER_MEDIATION: 'mediation',
      REFER: 'closed',
      DISMISS: 'closed',
      WITHDRAW: 'closed',
      ADD_INFORMATION: 'intake.triage',
    },
  },
  mediation: {
    path: ['BEGIN_TRIAGE', 'OFFER_MEDIATION'],
    accepts: {
      MEDIATION_SUCCEEDED: 'closed',
      MEDIATION_FAILED: 'investigation.awaitingAssignment',
      WITHDRAW: 'closed',
      ADD_INFORMATION: 'mediation',
    },
  },
  'investigation.awaitingAssignment': {
    path: TO_INVESTIGATION,
    accepts: {
      ASSIGN: 'investigation.assigned',
      TOLL: 'investigation.awaitingAssignment',
      WITHDRAW: 'investigation.awaitingAssignment',
      ADD_INFORMATION: 'investigation.awaitingAssignment',
    },
  },
  'investigation.assigned': {
    path: [...TO_INVESTIGATION, 'ASSIGN'],
    accepts: {
      BEGIN_INVESTIGATION: 'investigation.active',
      ASSIGN: 'investigation.assigned',
      TOLL: 'investigation.assigned',
      WITHDRAW: 'investigation.assigned',
      ADD_INFORMATION: 'investigation.assigned',
    },
  },
  'investigation.active': {
    path: [...TO_INVESTIGATION, 'ASSIGN', 'BEGIN_INVESTIGATION'],
    accepts: {
      DRAFT_FINDINGS: 'investigation.findingsDrafted',
      ASSIGN: 'investigation.active',
      TOLL: 'investigation.active',
      WITHDRAW: 'investigation.active',
      ADD_INFORMATION: 'investigation.active',
    },
  },
  'investigation.findingsDrafted': {
    path: TO_DRAFTED,
    accepts: {
      REVISE_FINDINGS: 'investigation.active',
      SUBMIT_FINDINGS: 'boardReview.scheduled',
      ASSIGN: 'investigation.findingsDrafted',
      TOLL: 'investigation.findingsDrafted',
      WITHDRAW: 'investigation.findingsDrafted',
      ADD_INFORMATION: 'investigation.findingsDrafted',
    },
  },
  'boardReview.scheduled': {
    path: [...TO_DRAFTED, 'SUBMIT_FINDINGS'],
    accepts: {
      OPEN_VOTING: 'boardReview.voting',
      RETURN_TO_INVESTIGATION: 'investigation.active',
      WITHDRAW: 'boardReview.scheduled',
      ADD_INFORMATION: 'boardReview.scheduled',
    },
  },
  'boardReview.voting': {
    path: TO_VOTING,
    accepts: {
      NO_QUORUM: 'boardReview.scheduled',
      BOARD_DECIDED: 'disposition',
      RETURN_TO_INVESTIGATION: 'investigation.active',
      WITHDRAW: 'boardReview.voting',
      ADD_INFORMATION: 'boardReview.voting',
    },
  },
  disposition: {
    path: [...TO_VOTING, 'BOARD_DECIDED'],
    accepts: { REQUEST_RECONSIDERATION: 'boardReview.scheduled' },
  },
  closed: {
    path: ['BEGIN_TRIAGE', 'DISMISS'],
    accepts: { REOPEN: 'investigation.active' },
  },
};

describe('complaint workflow machine', () => {
  it('starts in intake.received, telling the resident and starting the statutory and acknowledgement clocks', () => {
    const { snapshot, effects } = startComplaint();
    expect(stateName(snapshot)).to.equal('intake.received');
    expect(effects).to.deep.equal([
      { type: 'startClock', kind: 'statutory' },
      { type: 'notifyComplainant', stage: 'received' },
      { type: 'startClock', kind: 'acknowledge' },
    ]);
  });

  // New contact details are taken in every state, closed included, and move nothing.
  for (const [name, state] of Object.entries(STATES)) state.accepts.UPDATE_CONTACT ??= name;

  for (const [name, { path, accepts }] of Object.entries(STATES)) {
    describe(`from ${name}`, () => {
      const from = () => walk(path);

      it('is reached by its path', () => {
        expect(stateName(from())).to.equal(name);
      });

      for (const type of EVENT_TYPES) {
        const target = accepts[type];
        if (target) {
          it(`${type} → ${target}`, () => {
            const { snapshot } = advance(from(), event(type));
            expect(stateName(snapshot)).to.equal(target);
          });
        } else {
          it(`refuses ${type} and changes nothing`, () => {
            const before = from();
            const stored = JSON.stringify(persist(before));
            expect(() => advance(before, event(type))).to.throw(IllegalTransition);
            expect(JSON.stringify(persist(before))).to.equal(stored);
          });
        }
      }
    });
  }

  describe('guards', () => {
    it('tolling pauses the clocks, blocks a second toll and submitting findings; resuming undoes it', () => {
      const drafted = walk(TO_DRAFTED);
      const tolled = advance(drafted, { type: 'TOLL', reason: 'criminal_proceedings', at: NOW });
      expect(tolled.effects).to.deep.equal([{ type: 'pauseClocks' }]);
      expect(tolled.snapshot.context).to.include({ tolled: true, tollingReason: 'criminal_proceedings' });
      expect(() => advance(tolled.snapshot, event('TOLL'))).to.throw(IllegalTransition);
      expect(() => advance(tolled.snapshot, event('SUBMIT_FINDINGS'))).to.throw(IllegalTransition);
      const resumed = advance(tolled.snapshot, event('RESUME'));
      expect(resumed.effects).to.deep.equal([{ type: 'resumeClocks' }]);
      expect(stateName(advance(resumed.snapshot, event('SUBMIT_FINDINGS')).snapshot)).to.equal('boardReview.scheduled');
      expect(() => advance(drafted, event('RESUME'))).to.throw(IllegalTransition);
    });

    it('a withdrawal during investigation is recorded; the agency closes or continues', () => {
      const active = walk([...TO_INVESTIGATION, 'ASSIGN', 'BEGIN_INVESTIGATION']);
      expect(() => advance(active, event('CLOSE_WITHDRAWN'))).to.throw(IllegalTransition);
      const requested = advance(active, event('WITHDRAW'));
      expect(stateName(requested.snapshot)).to.equal('investigation.active');
      expect(requested.effects).to.deep.equal([{ type: 'notifyStaff', about: 'withdrawal' }]);
      expect(() => advance(requested.snapshot, event('WITHDRAW'))).to.throw(IllegalTransition);
      const closed = advance(requested.snapshot, event('CLOSE_WITHDRAWN')).snapshot;
      expect(stateName(closed)).to.equal('closed');
      expect(closed.context.outcome).to.equal('withdrawn');
      const continued = advance(requested.snapshot, event('CONTINUE_AFTER_WITHDRAWAL')).snapshot;
      expect(continued.context.withdrawalRequested).to.equal(false);
    });

    it('reconsideration is possible only inside its window, and the window closing closes the case', () => {
      const decided = walk([...TO_VOTING, 'BOARD_DECIDED']);
      expect(decided.context).to.include({ outcome: 'decided', reconsiderationUntil: WINDOW_END });
      expect(() => advance(decided, event('RECONSIDERATION_WINDOW_CLOSED', NOW))).to.throw(IllegalTransition);
      expect(() => advance(decided, event('REQUEST_RECONSIDERATION', WINDOW_END))).to.throw(IllegalTransition);
      const closed = advance(decided, event('RECONSIDERATION_WINDOW_CLOSED', WINDOW_END)).snapshot;
      expect(stateName(closed)).to.equal('closed');
      const again = advance(decided, event('REQUEST_RECONSIDERATION', '2026-03-31T16:59:59.000Z')).snapshot;
      expect(stateName(again)).to.equal('boardReview.scheduled');
      expect(again.context.boardRound).to.equal(2);
    });

    it('reopening a case closed while tolled leaves it untolled, so it can be worked and submitted', () => {
      const tolled = advance(walk([...TO_INVESTIGATION, 'ASSIGN', 'BEGIN_INVESTIGATION']), event('TOLL')).snapshot;
      const closed = ['WITHDRAW', 'CLOSE_WITHDRAWN'].reduce(
        (s, type) => advance(s, event(type as ComplaintEventType)).snapshot,
        tolled,
      );
      const reopened = advance(closed, { type: 'REOPEN', reason: 'new evidence', at: NOW }).snapshot;
      expect(reopened.context).to.include({ tolled: false, tollingReason: null, withdrawalRequested: false });
      expect(reopened.can(event('TOLL'))).to.equal(true);
    });

    it('a reconsideration reopens the decision: no outcome until the board decides again', () => {
      const decided = walk([...TO_VOTING, 'BOARD_DECIDED']);
      const again = advance(decided, event('REQUEST_RECONSIDERATION')).snapshot;
      expect(again.context).to.include({ outcome: null, reconsiderationUntil: null });
    });

    it('referral and dismissal record their details; reopening clears the outcome', () => {
      const referred = advance(walk(['BEGIN_TRIAGE']), { type: 'REFER', agency: 'State Attorney General', at: NOW });
      expect(referred.snapshot.context).to.include({ outcome: 'referred', referredTo: 'State Attorney General' });
      const dismissed = advance(walk(['BEGIN_TRIAGE']), { type: 'DISMISS', reason: 'no_jurisdiction', at: NOW });
      expect(dismissed.snapshot.context).to.include({ outcome: 'dismissed', dismissalReason: 'no_jurisdiction' });
      const reopened = advance(dismissed.snapshot, { type: 'REOPEN', reason: 'new video evidence', at: NOW }).snapshot;
      expect(reopened.context).to.include({ outcome: null, dismissalReason: null, reopenCount: 1 });
    });
  });

  describe('effects', () => {
    it('tells the resident once per public stage change, in the words of DESIGN.md', () => {
      const path: ComplaintEventType[] = [...TO_VOTING, 'BOARD_DECIDED', 'REQUEST_RECONSIDERATION'];
      let snapshot = startComplaint().snapshot;
      const told: string[] = [];
      for (const type of path) {
        const step = advance(snapshot, event(type));
        for (const effect of step.effects) if (effect.type === 'notifyComplainant') told.push(effect.stage);
        snapshot = step.snapshot;
        expect(publicStageOf(snapshot)).to.be.a('string');
      }
      expect(told).to.deep.equal(['underReview', 'underInvestigation', 'boardReview', 'decided', 'boardReview']);
    });

    it('stops each stage clock as it starts the next', () => {
      const { effects } = advance(walk(['BEGIN_TRIAGE']), event('ACCEPT'));
      expect(effects).to.deep.equal([
        { type: 'stopClock', kind: 'triage' },
        { type: 'notifyComplainant', stage: 'underInvestigation' },
        { type: 'startClock', kind: 'investigation' },
      ]);
    });

    it("starts the department's response clock only for a decision with a sustained finding (#19)", () => {
      const voting = walk(TO_VOTING);
      const clocks = (effects: Array<{ type: string; kind?: string }>) =>
        effects.filter((e) => e.type === 'startClock' || e.type === 'stopClock').map((e) => `${e.type} ${e.kind}`);
      const decision = (sustained: boolean): ComplaintEvent => ({
        type: 'BOARD_DECIDED',
        reconsiderationUntil: WINDOW_END,
        sustained,
        at: NOW,
      });
      const sustained = advance(voting, decision(true));
      expect(clocks(sustained.effects)).to.deep.equal([
        'stopClock board_decision',
        'startClock department_response',
        'stopClock statutory',
        'startClock reconsideration',
      ]);
      expect(stateName(sustained.snapshot)).to.equal('disposition');
      const none = advance(voting, decision(false));
      expect(clocks(none.effects)).to.not.include('startClock department_response');
      expect(stateName(none.snapshot)).to.equal('disposition');
      // The findings open again: the response waits for the new decision.
      const reconsidered = advance(sustained.snapshot, event('REQUEST_RECONSIDERATION'));
      expect(clocks(reconsidered.effects)).to.include('stopClock department_response');
      // Closing does not stop it: responses often come after the case has closed.
      const closed = advance(sustained.snapshot, event('RECONSIDERATION_WINDOW_CLOSED', WINDOW_END));
      expect(clocks(closed.effects)).to.not.include('stopClock department_response');
      const reopened = advance(closed.snapshot, { type: 'REOPEN', reason: 'new evidence', at: NOW });
      expect(clocks(reopened.effects)).to.include('stopClock department_response');
    });
  });

  describe('persisted snapshots', () => {
    it('restore to the same state and context in every state', () => {
      for (const { path } of Object.values(STATES)) {
        const snapshot = walk(path);
        const restored = restore(JSON.parse(JSON.stringify(persist(snapshot))), MACHINE_VERSION);
        expect(persist(restored)).to.deep.equal(persist(snapshot));
        for (const type of EVENT_TYPES) expect(restored.can(event(type)), type).to.equal(snapshot.can(event(type)));
      }
    });

    it('bring a version 0 snapshot (synthetic load-test rows) forward', () => {
      const restored = restore({ value: { investigation: 'active' }, context: {} }, 0);
      expect(stateName(restored)).to.equal('investigation.active');
      expect(restored.context.tolled).to.equal(false);
      expect(restored.can(event('DRAFT_FINDINGS'))).to.equal(true);
    });

    it('refuse a snapshot from a newer machine', () => {
      expect(() => restore({ value: 'closed', context: {} }, MACHINE_VERSION + 1)).to.throw(/newer/);
    });
  });

  describe('who may do what', () => {
    const staff = (roles: StaffRole[], assignedToCase = false): Actor => ({
      kind: 'staff',
      userId: 'u',
      roles,
      assignedToCase,
    });

    it('offers each actor only what the role table and the machine both allow', () => {
      const triage = walk(['BEGIN_TRIAGE']);
      expect(availableEvents(triage, staff(['intake']), NOW)).to.deep.equal([
        'ACCEPT',
        'OFFER_MEDIATION',
        'REFER',
        'DISMISS',
        'WITHDRAW',
        'ADD_INFORMATION',
        'UPDATE_CONTACT',
      ]);
      expect(availableEvents(triage, staff(['investigator']), NOW)).to.deep.equal([]);
      expect(availableEvents(triage, staff(['board']), NOW)).to.deep.equal([]);
      expect(availableEvents(triage, { kind: 'complainant' }, NOW)).to.deep.equal([
        'WITHDRAW',
        'ADD_INFORMATION',
        'UPDATE_CONTACT',
      ]);
      // Contact details can change after closing too: the closing survey goes there.
      const closed = walk(['BEGIN_TRIAGE', 'DISMISS']);
      expect(availableEvents(closed, { kind: 'complainant' }, NOW)).to.deep.equal(['UPDATE_CONTACT']);

      const active = walk([...TO_INVESTIGATION, 'ASSIGN', 'BEGIN_INVESTIGATION']);
      expect(availableEvents(active, staff(['investigator'], true), NOW)).to.deep.equal(['DRAFT_FINDINGS', 'TOLL']);
      expect(availableEvents(active, staff(['investigator'], false), NOW)).to.deep.equal([]);
      expect(availableEvents(active, staff(['supervisor']), NOW)).to.deep.equal(['ASSIGN', 'DRAFT_FINDINGS', 'TOLL']);
      expect(availableEvents(walk([...TO_VOTING, 'BOARD_DECIDED']), { kind: 'system' }, WINDOW_END)).to.deep.equal([
        'RECONSIDERATION_WINDOW_CLOSED',
      ]);
    });
  });

  describe('random event sequences (fast-check)', () => {
    const KNOWN = new Set(Object.keys(STATES));
    const actors: Actor[] = [
      { kind: 'complainant' },
      { kind: 'system' },
      ...(['intake', 'investigator', 'supervisor', 'board', 'admin'] as const).map((role): Actor => ({
        kind: 'staff',
        userId: role,
        roles: [role],
        assignedToCase: role === 'investigator',
      })),
    ];

    it('never reach an unknown state, keep the context consistent, and persist faithfully', () => {
      fc.assert(
        fc.property(
          fc.array(
            fc.record({
              type: fc.constantFrom(...EVENT_TYPES),
              actor: fc.constantFrom(...actors),
              days: fc.integer({ min: 0, max: 60 }),
            }),
            { maxLength: 40 },
          ),
          (steps) => {
            let snapshot = startComplaint().snapshot;
            let clock = Date.parse(NOW);
            for (const step of steps) {
              clock += step.days * 86_400_000;
              const at = new Date(clock).toISOString();
              const allowed = availableEvents(snapshot, step.actor, at).includes(step.type);
              const candidate =
                step.type === 'BOARD_DECIDED'
                  ? {
                      ...probeEvent(step.type, at),
                      reconsiderationUntil: new Date(clock + 30 * 86_400_000).toISOString(),
                    }
                  : probeEvent(step.type, at);
              if (!allowed) continue;
              snapshot = advance(snapshot, candidate).snapshot;
              const name = stateName(snapshot);
              expect(KNOWN.has(name), name).to.equal(true);
              const { context } = snapshot;
              if (context.tolled) expect(name.startsWith('investigation')).to.equal(true);
              if (name === 'closed' || name === 'disposition') expect(context.outcome).not.to.equal(null);
              else expect(context.outcome).to.equal(null);
              const restored = restore(JSON.parse(JSON.stringify(persist(snapshot))), MACHINE_VERSION);
              expect(persist(restored)).to.deep.equal(persist(snapshot));
            }
          },
        ),
        { numRuns: 300 },
      );
    });
  });
});
