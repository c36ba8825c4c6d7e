import type { Db } from '../../server/platform/db/database.js';
import type { Viewer } from '../../server/platform/db/caseAccess.js';
import type { Finding } from '../../server/domain/vocabulary.js';
import type { BoardRules } from '../../server/features/board/board.rules.js';
import type { Services } from '../../server/compose.js';
import type { Actor } from '../../workflows/complaint.permissions.js';
import { newTrackingNumber } from '../../server/platform/workflow/complaint.codes.js';
import { createStaff } from './staff.js';

let counter = 0;

/** A case moved through the workflow to board review (waiting for a meeting), with a complainant who has email. */
export async function boardReviewCase(
  services: Services,
  db: Db,
  options: { allegations?: number; language?: 'en' | 'es'; email?: string; categories?: string[] } = {},
): Promise<string> {
  counter += 1;
  const supervisor = await createStaff(db, ['supervisor']);
  const language = options.language ?? 'en';
  const categories = options.categories ?? ['force', 'discourtesy', 'abuse_of_authority'];
  const id = await db.transaction().execute((trx) =>
    services.workflow.create(
      trx,
      {
        tracking_number: newTrackingNumber(),
        access_code_hash: 'test:no-code',
        language,
        channel: 'web',
        anonymous: false,
        narrative: 'CANARY-NARRATIVE the officer shouted at Pat Canary on 12 Canary Lane.',
        district: null,
        received_at: new Date(),
      },
      {
        actor: { kind: 'complainant' },
        within: async (t, complaintId) => {
          await t
            .insertInto('complainants')
            .values({
              complaint_id: complaintId,
              role: 'complainant',
              name: 'Pat Canary',
              email: options.email ?? `canary${counter}@example.com`,
              preferred_language: language,
              preferred_contact: 'email',
            })
            .execute();
          await t
            .insertInto('allegations')
            .values(
              Array.from({ length: options.allegations ?? 2 }, (_, k) => ({
                complaint_id: complaintId,
                category: categories[k % categories.length]!,
                officer_description: 'Officer Canaryson',
              })),
            )
            .execute();
        },
      },
    ),
  );
  await toBoardReview(services, id, supervisor.id);
  return id;
}

/** Moves a filed case through triage and investigation to board review, as this supervisor. */
export async function toBoardReview(services: Services, complaintId: string, supervisorId: string): Promise<void> {
  const actor: Actor = { kind: 'staff', userId: supervisorId, roles: ['supervisor'], assignedToCase: false };
  const steps = [
    'BEGIN_TRIAGE',
    'ACCEPT',
    'ASSIGN',
    'BEGIN_INVESTIGATION',
    'DRAFT_FINDINGS',
    'SUBMIT_FINDINGS',
  ] as const;
  for (const type of steps) {
    const event = type === 'ASSIGN' ? { type, investigatorId: supervisorId } : { type };
    await services.workflow.dispatch(complaintId, event, actor);
  }
}

/** Board members (users with the board role), as viewers. */
export async function boardMembersFor(db: Db, count: number): Promise<Viewer[]> {
  const members: Viewer[] = [];
  for (let i = 0; i < count; i++) {
    const staff = await createStaff(db, ['board'], { name: `Member ${String.fromCharCode(65 + i)} ${counter}` });
    members.push({ userId: staff.id, roles: ['board'] });
  }
  return members;
}

export async function organiserFor(db: Db): Promise<Viewer> {
  const staff = await createStaff(db, ['supervisor']);
  return { userId: staff.id, roles: ['supervisor'] };
}

/** A ballot with the same finding on every allegation of the case. */
export async function ballotFor(db: Db, complaintId: string, findings: Finding | Finding[], recommendation?: string) {
  const allegations = await db
    .selectFrom('allegations')
    .select('id')
    .where('complaint_id', '=', complaintId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return allegations.map((a, k) => {
    const finding = Array.isArray(findings) ? findings[k]! : findings;
    return { allegationId: a.id, finding, rationale: null, recommendation: recommendation ?? null };
  });
}

/** A meeting with these cases on its agenda and its vote open; the agenda items' ids in order. */
export async function openMeeting(services: Services, organiser: Viewer, complaintIds: string[]) {
  const meetingId = await services.boardMeetings.schedule(organiser, { scheduledFor: new Date(), location: 'Room 1' });
  const items: string[] = [];
  for (const id of complaintIds) items.push((await services.boardMeetings.addCase(organiser, meetingId, id)).id);
  await services.boardMeetings.openVoting(organiser, meetingId);
  return { meetingId, items };
}

/** Seats exactly these members under these rules (majority quorum and "not sustained" on a tie by default). */
export async function seatBoard(
  services: Services,
  organiser: Viewer,
  members: Viewer[],
  rules: Partial<BoardRules> = {},
) {
  await services.boardSettings.save(organiser.userId, {
    quorum: rules.quorum ?? { kind: 'majority' },
    tieRule: rules.tieRule ?? 'not_sustained',
    seated: members.map((m) => m.userId),
    seesIdentity: false,
    publicMemberNames: false,
  });
}

/**
 * A case in board voting: `members` new members seated under `rules`, and a case with its
 * allegations (three by default) on the agenda of a meeting whose vote is open.
 */
export async function votingCase(
  services: Services,
  db: Db,
  organiser: Viewer,
  options: { members: number; rules?: Partial<BoardRules> } & Parameters<typeof boardReviewCase>[2],
) {
  const { members: count, rules, ...caseOptions } = options;
  const members = await boardMembersFor(db, count);
  await seatBoard(services, organiser, members, rules);
  const complaintId = await boardReviewCase(services, db, { allegations: 3, ...caseOptions });
  const { meetingId, items } = await openMeeting(services, organiser, [complaintId]);
  return { members, complaintId, meetingId, itemId: items[0]! };
}
