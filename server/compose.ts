/**
 * The composition root of the use cases (issue #16): the platform is built once, then each
 * feature's small factory on it. A plain factory, no container. The flat result is what the
 * routes (each taking only what it uses), the command-line tools and the tests draw on.
 */
import { demoService } from './demo/demo.service.js';
import { seedService } from './demo/seed.service.js';
import { accountsFeature } from './features/accounts/index.js';
import { adminFeature } from './features/admin/index.js';
import { boardFeature } from './features/board/index.js';
import { casesFeature } from './features/cases/index.js';
import { housekeepingService } from './features/housekeeping.service.js';
import { officersFeature } from './features/officers/index.js';
import { recommendationsAt, recommendationsFeature } from './features/recommendations/index.js';
import { releasesFeature } from './features/releases/index.js';
import { residentsFeature } from './features/residents/index.js';
import { departmentResponsesAt, responsesFeature } from './features/responses/index.js';
import { surveysFeature } from './features/surveys/index.js';
import { transparencyFeature } from './features/transparency/index.js';
import { platform, type PlatformDependencies } from './platform/index.js';
import { workflowDispatch } from './platform/workflow/index.js';

export { mailOptions } from './platform/index.js';

export type ServiceDependencies = PlatformDependencies;

export function services(deps: ServiceDependencies) {
  const p = platform(deps);
  const surveys = surveysFeature(p);
  const core = { ...p, workflow: workflowDispatch(p, surveys.surveys) };
  const residents = residentsFeature(core);
  const accounts = accountsFeature(p);
  const recommendations = recommendationsFeature(p);
  const board = boardFeature(core, { alsoClose: recommendations.recommendationVotes.closeItems });
  const releases = releasesFeature(p);
  return {
    audit: p.audit,
    keys: p.keys,
    evidence: p.evidence,
    quotas: p.quotas,
    alerts: p.alerts,
    auditAnchor: p.auditAnchor,
    operations: p.operations,
    health: p.health,
    mail: p.mail,
    outbox: p.outbox,
    deadlines: p.deadlines,
    reference: p.reference,
    workflow: core.workflow,
    ...surveys,
    ...residents,
    ...accounts,
    ...board,
    ...recommendations,
    ...casesFeature(core),
    ...officersFeature(p),
    ...adminFeature(p, accounts),
    ...transparencyFeature(p, {
      recommendations: async () => (await recommendations.recommendationTracker.list({}, 'en')).entries,
      recommendationsOfYear: (year, language) => recommendations.recommendationTracker.ofYear(year, language),
    }),
    ...responsesFeature(p),
    ...releases,
    housekeeping: housekeepingService({
      intake: residents.intake,
      status: residents.status,
      sessions: accounts.sessions,
      anchor: p.auditAnchor,
      janitor: p.janitor,
      logger: p.logger,
    }),
    demo: demoService(
      p.db,
      // The demo's cases happened over past months: their steps go through a workflow on the demo's clock.
      {
        clock: p.clock,
        workflowAt: (clock) => workflowDispatch({ ...p, clock }, surveys.surveys),
        responsesAt: (clock) => departmentResponsesAt(p, clock),
        recommendationsAt: (clock) => recommendationsAt(p, clock),
      },
      { meetings: board.boardMeetings, votes: board.boardVotes },
      releases.releases,
    ),
    seed: seedService(p.db),
  };
}

export type Services = ReturnType<typeof services>;
