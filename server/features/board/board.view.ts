import type { AgendaOutcome } from '../../domain/vocabulary.js';
import type * as board from './board.repository.js';

// The board's meetings and agendas as its pages read them: named fields, not table rows. The
// repositories return rows; the services map them here. Ballots, votes and the board's record are
// in boardVote.view.ts.

/** A repository function's row (or rows). */
export type Rows<F extends (...args: never[]) => Promise<unknown>> = NonNullable<Awaited<ReturnType<F>>>;
type MeetingRow = Rows<typeof board.meetingById>;
type MeetingListRow = Rows<typeof board.listMeetings>[number];
type AgendaRow = Rows<typeof board.agendaOf>[number];
type WaitingRow = Rows<typeof board.casesAwaitingAgenda>[number];

export type MeetingStatus = MeetingRow['status'];

/** A board meeting: when and where, and how far its vote has got. */
export interface MeetingView {
  id: string;
  scheduledFor: Date;
  /** When it was held, or will be: the scheduled time, or the vote's opening if earlier. */
  heldAt: Date;
  location: string | null;
  status: MeetingStatus;
  openedAt: Date | null;
  closedAt: Date | null;
}

/** A meeting in the staff list, with the number of cases on its agenda. */
export interface MeetingSummaryView extends MeetingView {
  items: number;
}

/** A case on a meeting's agenda, as staff who take part see the item. */
export interface AgendaItemView {
  id: string;
  complaintId: string;
  round: number;
  position: number;
  publicReference: string;
  outcome: AgendaOutcome | null;
  decidedAt: Date | null;
  trackingNumber: string;
  /** The case's workflow state. */
  state: string;
  district: string | null;
  receivedAt: Date;
  /** The case's allegation categories, in order. */
  categories: string[];
}

/** A meeting with its agenda. */
export interface MeetingAgendaView {
  meeting: MeetingView;
  items: AgendaItemView[];
  /** Scheduled for a later day than today (the agency's): opening its vote now needs a confirmation. */
  aheadOfItsDay: boolean;
}

/** A case in board review waiting for a meeting, for the organiser's "add to agenda" list. */
export interface WaitingCaseView {
  id: string;
  trackingNumber: string;
  district: string | null;
  receivedAt: Date;
  categories: string[];
}

/**
 * The day a meeting is listed under (#17 item 11): when it was scheduled, or when its vote opened
 * if that was earlier, so a meeting held early is not listed as held on a later date.
 */
export function heldAt(row: { scheduled_for: Date; opened_at: Date | null }): Date {
  const scheduled = new Date(row.scheduled_for);
  return row.opened_at && new Date(row.opened_at) < scheduled ? new Date(row.opened_at) : scheduled;
}

export function toMeetingView(row: MeetingRow | MeetingListRow): MeetingView {
  return {
    id: row.id,
    scheduledFor: row.scheduled_for,
    heldAt: heldAt(row),
    location: row.location,
    status: row.status,
    openedAt: row.opened_at,
    closedAt: row.closed_at,
  };
}

export function toMeetingSummaryView(row: MeetingListRow): MeetingSummaryView {
  return { ...toMeetingView(row), items: Number(row.items) };
}

export function toAgendaItemView(row: AgendaRow): AgendaItemView {
  return {
    id: row.id,
    complaintId: row.complaint_id,
    round: row.round,
    position: row.position,
    publicReference: row.public_reference,
    outcome: row.outcome,
    decidedAt: row.decided_at,
    trackingNumber: row.tracking_number,
    state: row.state,
    district: row.district,
    receivedAt: row.received_at,
    categories: row.categories,
  };
}

export function toWaitingCaseView(row: WaitingRow): WaitingCaseView {
  return {
    id: row.id,
    trackingNumber: row.tracking_number,
    district: row.district,
    receivedAt: row.received_at,
    categories: row.categories,
  };
}
