import { quorumOf, type QuorumRule } from '../board/board.rules.js';

/**
 * How the board decides a recommendation (#19 part 3), pure, as it decides a case's finding: the
 * seated members who have not recused vote to adopt or not; with a quorum of the seated members
 * voting, more than half of the votes cast adopt it, and anything less (a tie too) does not.
 */

export type RecommendationChoice = 'adopt' | 'reject' | 'recused';

export interface RecommendationCount {
  votesFor: number;
  votesAgainst: number;
  /** The seated members who have not recused. */
  eligible: number;
  quorum: number;
  quorate: boolean;
  /** Every eligible member has voted (and there is someone to vote). */
  complete: boolean;
  outcome: 'adopted' | 'not_adopted' | 'no_quorum';
}

export function countRecommendation(
  votes: ReadonlyArray<{ member_id: string; choice: RecommendationChoice }>,
  seated: readonly string[],
  quorumRule: QuorumRule,
): RecommendationCount {
  const seatedSet = new Set(seated);
  const counted = votes.filter((v) => seatedSet.has(v.member_id));
  const recused = counted.filter((v) => v.choice === 'recused').length;
  const votesFor = counted.filter((v) => v.choice === 'adopt').length;
  const votesAgainst = counted.filter((v) => v.choice === 'reject').length;
  const cast = votesFor + votesAgainst;
  const eligible = seated.length - recused;
  const quorum = quorumOf(quorumRule, seated.length);
  const quorate = cast > 0 && cast >= quorum;
  const outcome = !quorate ? 'no_quorum' : votesFor * 2 > cast ? 'adopted' : 'not_adopted';
  return { votesFor, votesAgainst, eligible, quorum, quorate, complete: eligible > 0 && cast === eligible, outcome };
}

/** Whether the votes decide the item now, before the meeting closes: everyone eligible voted, with a quorum. */
export const decidesNow = (count: RecommendationCount) => count.complete && count.quorate;
