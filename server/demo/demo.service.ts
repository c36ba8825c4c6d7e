import { officerIdsByBadge, releasableDemoCases } from './demo.repository.js';
import type { Db } from '../platform/db/database.js';
import { insertDistricts, insertOfficers } from '../platform/reference/reference.repository.js';
import { claimSetting } from '../platform/db/settings.repository.js';
import { countUsers, insertUser, setPasswordHash } from '../features/accounts/user.repository.js';
import type { BoardMeetingService } from '../features/board/boardMeeting.service.js';
import type { BoardVoteService } from '../features/board/boardVote.service.js';
import type { ReleaseService } from '../features/releases/release.service.js';
import { createDemoMeetings } from './demo.board.js';
import { createDemoComplaints } from './demo.complaints.js';
import { answerDemoSurveys } from './demo.surveys.js';
import { respondToDemoFindings } from './demo.responses.js';
import { createDemoRecommendations } from './demo.recommendations.js';
import type { DepartmentResponseService } from '../features/responses/departmentResponse.service.js';
import { createDemoTrustWaves } from './demo.trustSurveys.js';
import { DEMO_DISTRICTS, DEMO_STAFF, demoOfficers } from './demo.data.js';
import { generatePassword, hashPassword } from '../platform/security/password.js';
import type { WorkflowService } from '../platform/workflow/workflow.service.js';
import type { Clock } from '../platform/clock.js';
import type { Role } from '../domain/vocabulary.js';

export interface DemoResult {
  created: boolean;
  accounts: ReadonlyArray<{ email: string; roles: Role[] }>;
  /** The password, only when this call set it (first start, or DEMO_PASSWORD given). */
  password?: string;
  /** How many demo complaints were filed (first start only). */
  complaints?: number;
}

export type DemoService = ReturnType<typeof demoService>;

/** The setting the instance that creates the demo data claims first. */
const DEMO_CLAIM = 'demo.created_at';

export function demoService(
  db: Db,
  /** The app's clock, and the workflow on another clock: the demo files its cases' pasts. */
  history: {
    clock: Clock;
    workflowAt: (clock: Clock) => WorkflowService;
    /** The department's responses on another clock: the demo records them in its cases' pasts. */
    responsesAt: (clock: Clock) => DepartmentResponseService;
    /** The policy recommendations' services on another clock. */
    recommendationsAt: Parameters<typeof createDemoRecommendations>[1]['recommendationsAt'];
  },
  board: { meetings: BoardMeetingService; votes: BoardVoteService },
  releases: ReleaseService,
) {
  return {
    /**
     * On an empty database, creates the demo agency (districts, staff, officers) and files its
     * complaints through the workflow. With a DEMO_PASSWORD on a later start, resets the demo
     * accounts to it, for scripted use.
     */
    async ensureDemoData(demoPassword: string | undefined): Promise<DemoResult> {
      const accounts = DEMO_STAFF.map((s) => ({ email: s.email, roles: [...s.roles] }));
      if ((await countUsers(db)) > 0) {
        if (!demoPassword) return { created: false, accounts };
        await setPasswordHash(
          db,
          accounts.map((a) => a.email),
          await hashPassword(demoPassword),
        );
        return { created: false, accounts, password: demoPassword };
      }
      // Instances starting together on an empty database: one creates the demo, the others leave it be.
      if (!(await claimSetting(db, DEMO_CLAIM, new Date().toISOString()))) return { created: false, accounts };
      const password = demoPassword ?? generatePassword();
      const hashes = await Promise.all(DEMO_STAFF.map(() => hashPassword(password)));
      const ids = await db.transaction().execute(async (trx) => {
        await insertDistricts(trx, DEMO_DISTRICTS);
        const byEmail = new Map<string, string>();
        for (const [i, staff] of DEMO_STAFF.entries()) {
          const user = {
            email: staff.email,
            display_name: staff.name,
            password_hash: hashes[i]!,
            language: staff.language ?? ('en' as const),
          };
          byEmail.set(staff.email, await insertUser(trx, user, staff.roles));
        }
        await insertOfficers(trx, demoOfficers());
        return byEmail;
      });
      const officerIds = await officerIdsByBadge(db);
      const complaints = await createDemoComplaints(
        db,
        { now: history.clock(), workflowAt: history.workflowAt },
        {
          intake: ids.get('intake@example.org')!,
          supervisor: ids.get('supervisor@example.org')!,
          investigators: [ids.get('investigator1@example.org')!, ids.get('investigator2@example.org')!],
        },
        officerIds,
      );
      await createDemoMeetings(db, board, {
        supervisor: ids.get('supervisor@example.org')!,
        members: DEMO_STAFF.filter((s) => s.roles.includes('board')).map((s) => ids.get(s.email)!),
      });
      // The closed cases' survey invitations went out as they closed; most get answers (issue #7).
      await answerDemoSurveys(db, history.clock());
      // The department's responses to the sustained findings: in time, late, and still awaited (#19).
      await respondToDemoFindings(
        db,
        { now: history.clock(), responsesAt: history.responsesAt },
        ids.get('supervisor@example.org')!,
      );
      // Policy recommendations: adopted and partly accepted, adopted and awaiting a response, a draft (#19).
      await createDemoRecommendations(
        db,
        { now: history.clock(), recommendationsAt: history.recommendationsAt },
        board,
        {
          supervisor: ids.get('supervisor@example.org')!,
          members: DEMO_STAFF.filter((s) => s.roles.includes('board')).map((s) => ids.get(s.email)!),
        },
      );
      // A community trust survey wave closed with published results, and one open now (#19 part 4).
      await createDemoTrustWaves(db, ids.get('admin@example.org')!, history.clock());
      // A public-records release of decided cases, with the default choices (#19 part 5).
      const released = await releasableDemoCases(db, 3);
      if (released.length > 0) {
        const supervisor = { userId: ids.get('supervisor@example.org')!, roles: ['supervisor' as const] };
        const request = { reference: 'PRA-2026-0001', trackingNumbers: released, officers: 'sustained' as const };
        await releases.make(supervisor, { ...request, include: ['allegations', 'timeline', 'decision'] }, 'demo');
      }
      return { created: true, accounts, password, complaints };
    },
  };
}
