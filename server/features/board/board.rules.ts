import type { Finding } from '../../domain/vocabulary.js';

/**
 * The board's rules, pure: how many members make a quorum, and what a set of votes on one
 * allegation decides. The service feeds them the seated, present and non-recused members' votes.
 */

/** A majority of the seated members, or a fixed number (a three-member panel). */
export type QuorumRule = { kind: 'majority' } | { kind: 'fixed'; count: number };

/**
 * What a vote without a majority decides: "not sustained" (the default: the complaint was not
 * proven), or nothing, so the allegation carries over to the next meeting.
 */
export const TIE_RULES = ['not_sustained', 'carry_over'] as const;
export type TieRule = (typeof TIE_RULES)[number];

export interface BoardRules {
  quorum: QuorumRule;
  tieRule: TieRule;
}

export const DEFAULT_BOARD_RULES: BoardRules = { quorum: { kind: 'majority' }, tieRule: 'not_sustained' };

/** The number of votes that make a quorum, out of this many seated members. */
export function quorumOf(rule: QuorumRule, seated: number): number {
  return rule.kind === 'fixed' ? rule.count : Math.floor(seated / 2) + 1;
}

export interface Tally {
  /** Null when no finding has a majority and the tie rule carries it over, or without a quorum. */
  finding: Finding | null;
  votesCast: number;
  /** Votes for the finding decided (0 when none). */
  votesFor: number;
  byTieRule: boolean;
  /** Whether enough members voted for the votes to decide anything. */
  quorate: boolean;
}

/**
 * One allegation's outcome: the finding that more than half of the votes cast chose (simple
 * majority of the present, non-recused members who voted). Without one, the tie rule decides.
 */
export function tally(votes: readonly Finding[], quorum: number, tieRule: TieRule): Tally {
  const votesCast = votes.length;
  const quorate = votesCast >= quorum && votesCast > 0;
  if (!quorate) return { finding: null, votesCast, votesFor: 0, byTieRule: false, quorate };
  const counts = new Map<Finding, number>();
  for (const vote of votes) counts.set(vote, (counts.get(vote) ?? 0) + 1);
  for (const [finding, count] of counts) {
    if (count * 2 > votesCast) return { finding, votesCast, votesFor: count, byTieRule: false, quorate };
  }
  if (tieRule === 'carry_over') return { finding: null, votesCast, votesFor: 0, byTieRule: true, quorate };
  return {
    finding: 'not_sustained',
    votesCast,
    votesFor: counts.get('not_sustained') ?? 0,
    byTieRule: true,
    quorate,
  };
}
