import { setItemOutcome } from './board.repository.js';
import { insertBoardFindings, setFinalFindings } from './boardVote.repository.js';
import type { Executor } from '../../platform/db/executor.js';
import type { AgendaOutcome } from '../../domain/vocabulary.js';
import { IllegalTransition } from '../../../workflows/complaint.snapshot.js';
import { findingsRecord, outcomeOf, recommendationOf, type AllegationTally } from './board.tally.js';
import type { DeadlineService } from '../../platform/deadlines/deadline.service.js';
import type { WorkflowService } from '../../platform/workflow/workflow.service.js';

const SYSTEM = { kind: 'system' } as const;

/** The agenda item a vote concludes: which round of which case. */
export type ItemRef = { id: string; complaint_id: string; round: number };

/**
 * Ends an item's vote with these tallies, inside the caller's transaction (which holds the item's
 * lock): decided (every allegation has a finding) moves the case to disposition with the
 * reconsideration window; otherwise it goes back to wait for a meeting.
 */
export function itemConcluder(deps: { workflow: WorkflowService; deadlines: DeadlineService; now: () => Date }) {
  const { workflow } = deps;
  return async function conclude(
    trx: Executor,
    item: ItemRef,
    tallies: AllegationTally[],
    requestId?: string,
  ): Promise<AgendaOutcome> {
    const at = deps.now();
    const counted = outcomeOf(tallies);
    let outcome = counted.outcome;
    if (outcome === 'decided') {
      const reconsiderationUntil = (await deps.deadlines.dueAt(trx, 'reconsideration', at)).toISOString();
      try {
        await workflow.dispatchIn(
          trx,
          item.complaint_id,
          {
            type: 'BOARD_DECIDED',
            reconsiderationUntil,
            sustained: tallies.some((entry) => entry.result.finding === 'sustained'),
          },
          SYSTEM,
          {
            requestId,
            within: (t) =>
              setFinalFindings(
                t,
                at,
                tallies.map((entry) => ({
                  allegationId: entry.allegationId,
                  finding: entry.result.finding!,
                  recommendation: entry.result.finding === 'sustained' ? recommendationOf(entry.votes) : null,
                })),
              ),
          },
        );
      } catch (error) {
        // A withdrawal the agency has not ruled on yet holds the decision back.
        if (!(error instanceof IllegalTransition)) throw error;
        outcome = 'undecided';
      }
    }
    if (outcome !== 'decided') {
      await workflow.dispatchIn(trx, item.complaint_id, { type: 'NO_QUORUM' }, SYSTEM, { requestId });
    }
    if (counted.quorate) await insertBoardFindings(trx, findingsRecord(item.id, tallies, outcome));
    await setItemOutcome(trx, item.id, outcome, at);
    return outcome;
  };
}
