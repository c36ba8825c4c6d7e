import type { Core } from '../../platform/workflow/index.js';
import { caseFileService } from './caseFile.service.js';
import { caseQueueService } from './caseQueue.service.js';
import { caseWorkService } from './caseWork.service.js';
import { caseFindingsService } from './caseFindings.service.js';

/** Case work: the queue, the case file, and every staff action on a case (pages and the staff API). */
export function casesFeature(p: Core) {
  const caseFile = caseFileService({ db: p.db, audit: p.audit, clock: p.clock });
  return {
    caseFile,
    caseQueue: caseQueueService({ db: p.db, clock: p.clock }),
    caseFindings: caseFindingsService({ db: p.db, audit: p.audit, workflow: p.workflow, caseFile }),
    caseWork: caseWorkService({
      db: p.db,
      audit: p.audit,
      workflow: p.workflow,
      caseFile,
      evidence: p.evidence,
      storage: p.storage,
    }),
  };
}
