import {
  decideDemoAllegations,
  districtCodes,
  insertDemoAllegations,
  insertDemoAssignment,
  insertDemoComplainant,
} from './demo.repository.js';
import type { Db } from '../platform/db/database.js';
import type { Actor } from '../../workflows/complaint.permissions.js';
import type { DispatchEvent, WorkflowService } from '../platform/workflow/workflow.service.js';

/** Where the demo's complaints stand: every stage and substate, with the people who moved them. */
type Step = DispatchEvent['type'];
const TO_ACTIVE: Step[] = ['BEGIN_TRIAGE', 'ACCEPT', 'ASSIGN', 'BEGIN_INVESTIGATION'];
const TO_VOTING: Step[] = [...TO_ACTIVE, 'DRAFT_FINDINGS', 'SUBMIT_FINDINGS', 'OPEN_VOTING'];
const PATHS: Step[][] = [
  [],
  ['BEGIN_TRIAGE'],
  ['BEGIN_TRIAGE', 'OFFER_MEDIATION'],
  ['BEGIN_TRIAGE', 'ACCEPT'],
  ['BEGIN_TRIAGE', 'ACCEPT', 'ASSIGN'],
  TO_ACTIVE,
  [...TO_ACTIVE, 'TOLL'],
  [...TO_ACTIVE, 'WITHDRAW'],
  [...TO_ACTIVE, 'DRAFT_FINDINGS'],
  [...TO_ACTIVE, 'DRAFT_FINDINGS', 'SUBMIT_FINDINGS'],
  // Waiting in board review, for the demo's meetings to put on their agendas (demo.board.ts).
  [...TO_ACTIVE, 'DRAFT_FINDINGS', 'SUBMIT_FINDINGS'],
  [...TO_VOTING, 'BOARD_DECIDED'],
  [...TO_VOTING, 'BOARD_DECIDED', 'RECONSIDERATION_WINDOW_CLOSED'],
  ['BEGIN_TRIAGE', 'DISMISS'],
  ['BEGIN_TRIAGE', 'REFER'],
  ['BEGIN_TRIAGE', 'OFFER_MEDIATION', 'MEDIATION_SUCCEEDED'],
  ['BEGIN_TRIAGE', 'OFFER_MEDIATION', 'MEDIATION_FAILED', 'ASSIGN', 'BEGIN_INVESTIGATION'],
  ['WITHDRAW'],
  ['BEGIN_TRIAGE', 'DISMISS', 'REOPEN'],
  [...TO_VOTING, 'RETURN_TO_INVESTIGATION'],
];

const CATEGORIES = ['force', 'discourtesy', 'abuse_of_authority', 'search_seizure', 'bias', 'offensive_language'];
const NARRATIVES = {
  en: 'During a traffic stop the officer shouted at me and would not explain why I was stopped.',
  es: 'Durante una parada de tráfico el agente me gritó y no quiso explicar por qué me detuvo.',
};
const FINDINGS = ['sustained', 'not_sustained', 'exonerated', 'unfounded'] as const;
const DAY = 86_400_000;
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

/** Files about 60 complaints and moves each through the workflow, so their audit trails are real. */
export async function createDemoComplaints(
  db: Db,
  workflow: WorkflowService,
  staff: DemoStaffIds,
  officerIds: string[],
) {
  const districts = await districtCodes(db);
  const now = Date.now();
  for (let i = 0; i < PATHS.length * 3; i++) {
    const path = PATHS[i % PATHS.length]!;
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
          incident_date: new Date(now - (20 + i * 5) * DAY).toISOString().slice(0, 10),
          district: districts[i % districts.length] ?? null,
          received_at: new Date(now - (10 + i * 5) * DAY),
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
    for (const type of path) {
      const windowOver = path.includes('RECONSIDERATION_WINDOW_CLOSED');
      const { event, actor } = demoStep(type, staff, investigator, windowOver ? now - DAY : now + 30 * DAY);
      await workflow.dispatch(id, event, actor, {
        within: async (trx) => {
          if (type === 'ASSIGN') {
            await insertDemoAssignment(trx, { complaintId: id, userId: investigator, assignedBy: staff.supervisor });
          }
          if (type === 'BOARD_DECIDED') {
            await decideDemoAllegations(trx, id, FINDINGS[i % FINDINGS.length]!, new Date());
          }
        },
      });
    }
  }
  return PATHS.length * 3;
}

function demoStep(
  type: Step,
  staff: DemoStaffIds,
  investigator: string,
  reconsiderationUntil: number,
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
      return { event: { type, reconsiderationUntil: new Date(reconsiderationUntil).toISOString() }, actor: system };
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
