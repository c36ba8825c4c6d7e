import { and, assign, not, setup } from 'xstate';
import type { ComplaintContext, ComplaintEvent, DeadlineKind, PublicStage } from './complaint.types.js';

/**
 * The complaint workflow (DESIGN.md). Pure: no clock, no I/O. Every side effect (a clock to start
 * or stop, a resident to tell) is a named action with parameters that `transition()` returns and
 * the server carries out in the same database transaction as the new snapshot.
 *
 * Raise MACHINE_VERSION whenever states or context change shape, and teach complaint.snapshot.ts
 * to bring older snapshots forward.
 */
export const MACHINE_VERSION = 1;

export { DEADLINE_KINDS, type DeadlineKind } from './complaint.types.js';

export const initialContext: ComplaintContext = {
  outcome: null,
  dismissalReason: null,
  referredTo: null,
  tolled: false,
  tollingReason: null,
  withdrawalRequested: false,
  reconsiderationUntil: null,
  boardRound: 0,
  reopenCount: 0,
};

const noEffect = () => {};

/**
 * Once an investigation is under way, a resident's withdrawal is recorded and the agency decides:
 * close the case, or continue (DESIGN.md). Shared by investigation and board review.
 */
const withdrawalOnceUnderWay = {
  WITHDRAW: {
    guard: not('withdrawalRequested'),
    actions: ['requestWithdrawal', { type: 'notifyStaff', params: { about: 'withdrawal' } }],
  },
  CONTINUE_AFTER_WITHDRAWAL: { guard: 'withdrawalRequested', actions: 'continueAfterWithdrawal' },
  CLOSE_WITHDRAWN: {
    guard: 'withdrawalRequested',
    target: '#complaint.closed',
    actions: [{ type: 'recordOutcome', params: { outcome: 'withdrawn' } }],
  },
  ADD_INFORMATION: { actions: [{ type: 'notifyStaff', params: { about: 'information' } }] },
} as const;

export const complaintMachine = setup({
  types: {
    context: {} as ComplaintContext,
    events: {} as ComplaintEvent,
  },
  guards: {
    tolled: ({ context }) => context.tolled,
    withdrawalRequested: ({ context }) => context.withdrawalRequested,
    withinReconsiderationWindow: ({ context, event }) =>
      context.reconsiderationUntil !== null && Date.parse(event.at) < Date.parse(context.reconsiderationUntil),
    sustainedFinding: ({ event }) => event.type === 'BOARD_DECIDED' && event.sustained === true,
    reconsiderationWindowOver: ({ context, event }) =>
      context.reconsiderationUntil !== null && Date.parse(event.at) >= Date.parse(context.reconsiderationUntil),
  },
  actions: {
    // Effects for the server; they do nothing here.
    notifyComplainant: (_, _params: { stage: PublicStage }) => noEffect(),
    notifyStaff: (_, _params: { about: 'assignment' | 'withdrawal' | 'reconsideration' | 'information' | 'contact' }) =>
      noEffect(),
    startClock: (_, _params: { kind: DeadlineKind }) => noEffect(),
    stopClock: (_, _params: { kind: DeadlineKind }) => noEffect(),
    pauseClocks: noEffect,
    resumeClocks: noEffect,
    // Context changes.
    recordReferral: assign(({ event }) =>
      event.type === 'REFER' ? { outcome: 'referred' as const, referredTo: event.agency } : {},
    ),
    recordDismissal: assign(({ event }) =>
      event.type === 'DISMISS' ? { outcome: 'dismissed' as const, dismissalReason: event.reason } : {},
    ),
    recordOutcome: assign((_, params: { outcome: 'mediated' | 'withdrawn' }) => ({ outcome: params.outcome })),
    recordDecision: assign(({ event }) =>
      event.type === 'BOARD_DECIDED'
        ? { outcome: 'decided' as const, reconsiderationUntil: event.reconsiderationUntil }
        : {},
    ),
    toll: assign(({ event }) => (event.type === 'TOLL' ? { tolled: true, tollingReason: event.reason } : {})),
    resume: assign({ tolled: false, tollingReason: null }),
    requestWithdrawal: assign({ withdrawalRequested: true }),
    continueAfterWithdrawal: assign({ withdrawalRequested: false }),
    startBoardRound: assign(({ context }) => ({ boardRound: context.boardRound + 1 })),
    // A reopened case starts afresh but keeps its counters.
    reopen: assign(({ context }) => ({
      ...initialContext,
      boardRound: context.boardRound,
      reopenCount: context.reopenCount + 1,
    })),
    // The decision is open again: the board decides anew.
    reconsider: assign({ outcome: null, reconsiderationUntil: null }),
  },
}).createMachine({
  id: 'complaint',
  initial: 'intake',
  context: initialContext,
  entry: [{ type: 'startClock', params: { kind: 'statutory' } }],
  // New contact details matter at every stage, closed included (the closing survey goes there).
  on: { UPDATE_CONTACT: { actions: [{ type: 'notifyStaff', params: { about: 'contact' } }] } },
  states: {
    intake: {
      initial: 'received',
      on: {
        WITHDRAW: { target: 'closed', actions: [{ type: 'recordOutcome', params: { outcome: 'withdrawn' } }] },
        ADD_INFORMATION: { actions: [{ type: 'notifyStaff', params: { about: 'information' } }] },
      },
      states: {
        received: {
          entry: [
            { type: 'notifyComplainant', params: { stage: 'received' } },
            { type: 'startClock', params: { kind: 'acknowledge' } },
          ],
          exit: [{ type: 'stopClock', params: { kind: 'acknowledge' } }],
          on: { BEGIN_TRIAGE: 'triage' },
        },
        triage: {
          entry: [
            { type: 'notifyComplainant', params: { stage: 'underReview' } },
            { type: 'startClock', params: { kind: 'triage' } },
          ],
          exit: [{ type: 'stopClock', params: { kind: 'triage' } }],
          on: {
            ACCEPT: '#complaint.investigation',
            OFFER_MEDIATION: '#complaint.mediation',
            REFER: { target: '#complaint.closed', actions: 'recordReferral' },
            DISMISS: { target: '#complaint.closed', actions: 'recordDismissal' },
          },
        },
      },
    },

    mediation: {
      entry: [{ type: 'startClock', params: { kind: 'mediation' } }],
      exit: [{ type: 'stopClock', params: { kind: 'mediation' } }],
      on: {
        MEDIATION_SUCCEEDED: {
          target: 'closed',
          actions: [{ type: 'recordOutcome', params: { outcome: 'mediated' } }],
        },
        MEDIATION_FAILED: 'investigation',
        WITHDRAW: { target: 'closed', actions: [{ type: 'recordOutcome', params: { outcome: 'withdrawn' } }] },
        ADD_INFORMATION: { actions: [{ type: 'notifyStaff', params: { about: 'information' } }] },
      },
    },

    investigation: {
      initial: 'awaitingAssignment',
      entry: [
        { type: 'notifyComplainant', params: { stage: 'underInvestigation' } },
        { type: 'startClock', params: { kind: 'investigation' } },
      ],
      exit: [{ type: 'stopClock', params: { kind: 'investigation' } }],
      on: {
        // Reassignment: the stage does not change; the new investigator is told.
        ASSIGN: { actions: [{ type: 'notifyStaff', params: { about: 'assignment' } }] },
        TOLL: { guard: not('tolled'), actions: ['toll', 'pauseClocks'] },
        RESUME: { guard: 'tolled', actions: ['resume', 'resumeClocks'] },
        ...withdrawalOnceUnderWay,
      },
      states: {
        awaitingAssignment: {
          on: { ASSIGN: { target: 'assigned', actions: [{ type: 'notifyStaff', params: { about: 'assignment' } }] } },
        },
        assigned: { on: { BEGIN_INVESTIGATION: 'active' } },
        active: { on: { DRAFT_FINDINGS: 'findingsDrafted' } },
        findingsDrafted: {
          on: {
            REVISE_FINDINGS: 'active',
            SUBMIT_FINDINGS: {
              guard: and([not('tolled'), not('withdrawalRequested')]),
              target: '#complaint.boardReview',
            },
          },
        },
      },
    },

    boardReview: {
      initial: 'scheduled',
      entry: [
        'startBoardRound',
        { type: 'notifyComplainant', params: { stage: 'boardReview' } },
        { type: 'startClock', params: { kind: 'board_decision' } },
      ],
      exit: [{ type: 'stopClock', params: { kind: 'board_decision' } }],
      on: {
        RETURN_TO_INVESTIGATION: '#complaint.investigation.active',
        ...withdrawalOnceUnderWay,
      },
      states: {
        scheduled: { on: { OPEN_VOTING: 'voting' } },
        voting: {
          on: {
            NO_QUORUM: 'scheduled',
            BOARD_DECIDED: [
              {
                guard: and([not('withdrawalRequested'), 'sustainedFinding']),
                target: '#complaint.disposition',
                actions: ['recordDecision', { type: 'startClock', params: { kind: 'department_response' } }],
              },
              { guard: not('withdrawalRequested'), target: '#complaint.disposition', actions: 'recordDecision' },
            ],
          },
        },
      },
    },

    disposition: {
      entry: [
        { type: 'notifyComplainant', params: { stage: 'decided' } },
        { type: 'stopClock', params: { kind: 'statutory' } },
        { type: 'startClock', params: { kind: 'reconsideration' } },
      ],
      exit: [{ type: 'stopClock', params: { kind: 'reconsideration' } }],
      on: {
        REQUEST_RECONSIDERATION: {
          guard: 'withinReconsiderationWindow',
          target: 'boardReview',
          // The findings are open again: the response waits for the board's new decision.
          actions: [
            'reconsider',
            { type: 'stopClock', params: { kind: 'department_response' } },
            { type: 'notifyStaff', params: { about: 'reconsideration' } },
          ],
        },
        RECONSIDERATION_WINDOW_CLOSED: { guard: 'reconsiderationWindowOver', target: 'closed' },
      },
    },

    closed: {
      entry: [
        { type: 'notifyComplainant', params: { stage: 'closed' } },
        { type: 'stopClock', params: { kind: 'statutory' } },
      ],
      on: {
        REOPEN: {
          target: 'investigation.active',
          actions: ['reopen', { type: 'stopClock', params: { kind: 'department_response' } }],
        },
      },
    },
  },
});

export type ComplaintMachine = typeof complaintMachine;
