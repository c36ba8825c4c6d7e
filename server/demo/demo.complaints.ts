import {
  decideDemoAllegations,
  districtCodes,
  insertDemoAllegations,
  insertDemoAssignment,
  insertDemoComplainant,
} from './demo.repository.js';
import type { Db } from '../platform/db/database.js';
import type { Clock } from '../platform/clock.js';
import type { Actor } from '../../workflows/complaint.permissions.js';
import type { DispatchEvent, WorkflowService } from '../platform/workflow/workflow.service.js';
import { demoTimeline, type Pace } from './demo.timeline.js';

/**
 * Where the demo's complaints stand: every stage and substate, with the people who moved them.
 * Each path is filed three times, early and midway in its clock's time; the third copy is late
 * where `late` says, so the queue shows most cases on time, some due soon and a few overdue.
 */
export type Step = DispatchEvent['type'];
const TO_ACTIVE: Step[] = ['BEGIN_TRIAGE', 'ACCEPT', 'ASSIGN', 'BEGIN_INVESTIGATION'];
const TO_VOTING: Step[] = [...TO_ACTIVE, 'DRAFT_FINDINGS', 'SUBMIT_FINDINGS', 'OPEN_VOTING'];
const PATHS: Array<{ steps: Step[]; late?: Pace }> = [
  { steps: [], late: 'overdue' },
  { steps: ['BEGIN_TRIAGE'], late: 'dueSoon' },
  { steps: ['BEGIN_TRIAGE', 'OFFER_MEDIATION'], late: 'dueSoon' },
  { steps: ['BEGIN_TRIAGE', 'ACCEPT'] },
  { steps: ['BEGIN_TRIAGE', 'ACCEPT', 'ASSIGN'] },
  { steps: TO_ACTIVE, late: 'overdue' },
  { steps: [...TO_ACTIVE, 'TOLL'] },
  { steps: [...TO_ACTIVE, 'WITHDRAW'] },
  { steps: [...TO_ACTIVE, 'DRAFT_FINDINGS'], late: 'dueSoon' },
  { steps: [...TO_ACTIVE, 'DRAFT_FINDINGS', 'SUBMIT_FINDINGS'], late: 'dueSoon' },
  // Waiting in board review, for the demo's meetings to put on their agendas (demo.board.ts).
  { steps: [...TO_ACTIVE, 'DRAFT_FINDINGS', 'SUBMIT_FINDINGS'] },
  // Decided, its reconsideration window still open (late: closing within the week).
  { steps: [...TO_VOTING, 'BOARD_DECIDED'], late: 'dueSoon' },
  { steps: [...TO_VOTING, 'BOARD_DECIDED', 'RECONSIDERATION_WINDOW_CLOSED'] },
  { steps: ['BEGIN_TRIAGE', 'DISMISS'] },
  { steps: ['BEGIN_TRIAGE', 'REFER'] },
  { steps: ['BEGIN_TRIAGE', 'OFFER_MEDIATION', 'MEDIATION_SUCCEEDED'] },
  { steps: ['BEGIN_TRIAGE', 'OFFER_MEDIATION', 'MEDIATION_FAILED', 'ASSIGN', 'BEGIN_INVESTIGATION'], late: 'overdue' },
  { steps: ['WITHDRAW'] },
  { steps: ['BEGIN_TRIAGE', 'DISMISS', 'REOPEN'], late: 'overdue' },
  { steps: [...TO_VOTING, 'RETURN_TO_INVESTIGATION'] },
];

/** The demo's cases in filing order: each path three times, the third late where its path says. */
export function demoCasePlans(): Array<{ steps: Step[]; pace: Pace; spread: number }> {
  return Array.from({ length: PATHS.length * 3 }, (_, i) => {
    const { steps, late } = PATHS[i % PATHS.length]!;
    const round = Math.floor(i / PATHS.length);
    return { steps, pace: round === 2 ? (late ?? 'onTime') : 'onTime', spread: (round + 0.5) / 3 };
  });
}

const CATEGORIES = ['force', 'discourtesy', 'abuse_of_authority', 'search_seizure', 'bias', 'offensive_language'];
const NARRATIVES = {
  en: 'During a traffic stop the officer shouted at me and would not explain why I was stopped.',
  es: 'Durante una parada de tráfico el agente me gritó y no quiso explicar por qué me detuvo.',
};
const FINDINGS = ['sustained', 'not_sustained', 'exonerated', 'unfounded'] as const;
const DAY = 86_400_000;
/** The reconsideration window after a demo decision (the default 'reconsideration' policy). */
const RECONSIDERATION_DAYS = 30;
const TRACKING = '23456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * Demo numbers only (real ones are random): i times a number coprime with 30, modulo 30^8, is
 * distinct for every i, and written in the 30-letter alphabet it looks like a real one.
 */
function trackingNumber(i: number): string {
  let n = (i * 7_654_321 + 1_234_567) % 30 ** 8;
  let code = '';
  for (let k = 0; k < 8; k++, n = Math.floor(n / 30)) code += TRACKING[n % 30];
  return `OC-${code.slice(0, 4)}-${code.slice(4)}`;
}

export interface DemoStaffIds {
  intake: string;
  supervisor: string;
  investigators: string[];
}

/**
 * Files about 60 complaints and moves each through the workflow, so their audit trails are real.
 * Each step happens at its moment in the case's past (demo.timeline.ts), on a workflow whose clock
 * the demo sets: the deadlines then run from when each stage began, as in a working office.
 */
export async function createDemoComplaints(
  db: Db,
  history: { now: Date; workflowAt: (clock: Clock) => WorkflowService },
  staff: DemoStaffIds,
  officerIds: string[],
) {
  const districts = await districtCodes(db);
  let at = history.now;
  const workflow = history.workflowAt(() => at);
  const plans = demoCasePlans();
  for (const [i, { steps: path, pace, spread }] of plans.entries()) {
    const { receivedAt, stepsAt } = demoTimeline(path, pace, spread, history.now);
    at = receivedAt;
    const language = i % 4 === 1 ? 'es' : 'en';
    const anonymous = i % 6 === 5;
    const investigator = staff.investigators[i % staff.investigators.length]!;
    const id = await db.transaction().execute((trx) =>
      workflow.create(
        trx,
        {
          tracking_number: trackingNumber(i + 1),
          access_code_hash: 'demo:no-code',
          language,
          channel: i % 5 === 0 ? 'phone' : 'web',
          anonymous,
          narrative: NARRATIVES[language],
          incident_date: new Date(receivedAt.getTime() - (2 + (i % 9)) * DAY).toISOString().slice(0, 10),
          district: districts[i % districts.length] ?? null,
          received_at: receivedAt,
        },
        {
          actor: { kind: 'complainant' },
          within: async (t, complaintId) => {
            if (!anonymous) {
              await insertDemoComplainant(t, {
                complaintId,
                name: `Demo Resident ${i + 1}`,
                email: `resident${i + 1}@example.com`,
                language,
              });
            }
            await insertDemoAllegations(
              t,
              complaintId,
              [0, 1].slice(0, 1 + (i % 2)).map((k) => ({
                officerId: officerIds[(i + k * 11) % officerIds.length] ?? null,
                category: CATEGORIES[(i + k) % CATEGORIES.length]!,
              })),
            );
          },
        },
      ),
    );
    for (const [k, type] of path.entries()) {
      at = stepsAt[k]!;
      const finding = FINDINGS[i % FINDINGS.length]!;
      const { event, actor } = demoStep(type, staff, investigator, {
        reconsiderationUntil: at.getTime() + RECONSIDERATION_DAYS * DAY,
        sustained: finding === 'sustained',
      });
      await workflow.dispatch(id, event, actor, {
        within: async (trx) => {
          if (type === 'ASSIGN') {
            await insertDemoAssignment(trx, { complaintId: id, userId: investigator, assignedBy: staff.supervisor });
          }
          if (type === 'BOARD_DECIDED') {
            await decideDemoAllegations(trx, id, finding, at);
          }
        },
      });
    }
  }
  return plans.length;
}

function demoStep(
  type: Step,
  staff: DemoStaffIds,
  investigator: string,
  decision: { reconsiderationUntil: number; sustained: boolean },
): { event: DispatchEvent; actor: Actor } {
  const supervisor: Actor = { kind: 'staff', userId: staff.supervisor, roles: ['supervisor'], assignedToCase: false };
  const intake: Actor = { kind: 'staff', userId: staff.intake, roles: ['intake'], assignedToCase: false };
  const assigned: Actor = { kind: 'staff', userId: investigator, roles: ['investigator'], assignedToCase: true };
  const system: Actor = { kind: 'system' };
  switch (type) {
    case 'ASSIGN':
      return { event: { type, investigatorId: investigator }, actor: supervisor };
    case 'REFER':
      return { event: { type, agency: 'County Sheriff Internal Affairs' }, actor: intake };
    case 'DISMISS':
      return { event: { type, reason: 'no_jurisdiction' }, actor: intake };
    case 'TOLL':
      return { event: { type, reason: 'criminal_proceedings' }, actor: assigned };
    case 'REOPEN':
      return { event: { type, reason: 'New evidence received' }, actor: supervisor };
    case 'BOARD_DECIDED':
      return {
        event: {
          type,
          reconsiderationUntil: new Date(decision.reconsiderationUntil).toISOString(),
          sustained: decision.sustained,
        },
        actor: system,
      };
    case 'RECONSIDERATION_WINDOW_CLOSED':
    case 'NO_QUORUM':
      return { event: { type }, actor: system };
    case 'WITHDRAW':
      return { event: { type }, actor: { kind: 'complainant' } };
    case 'BEGIN_INVESTIGATION':
    case 'DRAFT_FINDINGS':
      return { event: { type }, actor: assigned };
    case 'BEGIN_TRIAGE':
    case 'ACCEPT':
    case 'OFFER_MEDIATION':
    case 'MEDIATION_SUCCEEDED':
    case 'MEDIATION_FAILED':
      return { event: { type }, actor: intake };
    default:
      return { event: { type } as DispatchEvent, actor: supervisor };
  }
}
