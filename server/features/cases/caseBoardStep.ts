import type { boardMeetingOfCase } from './caseFile.repository.js';

/**
 * Where a case in board review stands with the board (#17 item 1): on the agenda of a meeting
 * (named by its date, linked for those who take part in meetings), or waiting for one. Opening the
 * vote and recording no quorum happen on the meeting's page, so the case page points there.
 */
export interface BoardStepView {
  meeting: { id: string; scheduledFor: Date; status: string } | null;
  /** Whether the viewer may open the meeting's page (else the meeting is named, not linked). */
  linked: boolean;
}

export function boardStepView(meeting: Awaited<ReturnType<typeof boardMeetingOfCase>>, linked: boolean): BoardStepView {
  return {
    meeting: meeting ? { id: meeting.id, scheduledFor: meeting.scheduled_for, status: meeting.status } : null,
    linked,
  };
}
