import type { AgendaOutcome, Finding } from '../../domain/vocabulary.js';
import { quorumOf, tally, type BoardRules, type Tally } from './board.rules.js';

/**
 * An agenda item's count, pure: the service reads the item, its allegations, recusals and votes
 * once and this says what they decide. The rules for one allegation are in board.rules.ts.
 */

export interface CastVote {
  allegation_id: string;
  member_id: string;
  finding: Finding;
  discipline_recommendation: string | null;
}

export interface AllegationTally<V extends CastVote = CastVote> {
  allegationId: string;
  /** The eligible members' votes on the allegation. */
  votes: V[];
  result: Tally;
}

/** The seated members not recused from the case: those whose votes count. */
export function eligibleMembers(seated: readonly string[], recused: readonly string[]): string[] {
  const out = new Set(recused);
  return seated.filter((id) => !out.has(id));
}

/**
 * Each allegation's tally from the eligible members' votes, and whether every eligible member has
 * voted on every allegation (an item nobody may vote on is never complete).
 */
export function tallyItem<V extends CastVote>(input: {
  allegationIds: readonly string[];
  votes: readonly V[];
  eligible: readonly string[];
  rules: BoardRules;
  /** The seated members, of whom a majority is a quorum. */
  seatedCount: number;
}): { tallies: AllegationTally<V>[]; complete: boolean } {
  const eligible = new Set(input.eligible);
  const votes = input.votes.filter((v) => eligible.has(v.member_id));
  const quorum = quorumOf(input.rules.quorum, input.seatedCount);
  const tallies = input.allegationIds.map((allegationId) => {
    const on = votes.filter((v) => v.allegation_id === allegationId);
    return {
      allegationId,
      votes: on,
      result: tally(
        on.map((v) => v.finding),
        quorum,
        input.rules.tieRule,
      ),
    };
  });
  const complete = eligible.size > 0 && tallies.every((t) => t.votes.length === eligible.size);
  return { tallies, complete };
}

/** Whether the count decides the item now: every eligible member voted and they make a quorum. */
export const decidesNow = (count: { tallies: AllegationTally[]; complete: boolean }): boolean =>
  count.complete && count.tallies.every((t) => t.result.quorate);

/** What the tallies make of an item: decided (a finding on every allegation), undecided, or no quorum. */
export function outcomeOf(tallies: readonly AllegationTally[]): { outcome: AgendaOutcome; quorate: boolean } {
  const quorate = tallies.length > 0 && tallies.every((t) => t.result.quorate);
  if (!quorate) return { outcome: 'no_quorum', quorate };
  return { outcome: tallies.every((t) => t.result.finding) ? 'decided' : 'undecided', quorate };
}

/** What the sustaining members recommended, for the department head. */
export const recommendationOf = (votes: ReadonlyArray<Pick<CastVote, 'finding' | 'discipline_recommendation'>>) =>
  votes
    .filter((v) => v.finding === 'sustained' && v.discipline_recommendation)
    .map((v) => v.discipline_recommendation!)
    .join('\n\n') || null;

/** The board's findings as recorded for the minutes: a finding only when the item was decided. */
export function findingsRecord(itemId: string, tallies: readonly AllegationTally[], outcome: AgendaOutcome) {
  return tallies.map((t) => ({
    agenda_item_id: itemId,
    allegation_id: t.allegationId,
    finding: outcome === 'decided' ? t.result.finding : null,
    votes_cast: t.result.votesCast,
    votes_for: outcome === 'decided' ? t.result.votesFor : 0,
    by_tie_rule: t.result.byTieRule,
  }));
}
