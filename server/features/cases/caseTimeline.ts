/** A case's audit trail told in plain words: each entry is a catalogue key with its values. */
export interface TimelineEntry {
  at: Date;
  key: string;
  values: Record<string, string>;
  /** Who acted: a member of staff's name, or a catalogue key for a resident or the system. */
  actor: { name: string } | { key: string };
  failed: boolean;
}

interface TrailRow {
  occurred_at: Date;
  event_type: string;
  actor_type: string;
  outcome: string;
  details: unknown;
  display_name: string | null;
}

/** Reads are in the audit log for oversight of staff, not in the story of the case. */
const NOT_IN_TIMELINE = new Set(['case.read']);
/** The steps of a case's audit trail the timeline tells in words of their own. */
export const TIMELINE_EVENTS = [
  'complaint.create',
  'evidence.upload',
  'evidence.download',
  'note.add',
  'allegation.add',
  'allegation.update',
  'findings.draft',
  'complaint.legal_hold',
  'board.recusal',
  'board.vote',
  'survey.answered',
  'case.release',
] as const;
const KNOWN = new Set<string>(TIMELINE_EVENTS);

export function timelineOf(rows: TrailRow[]): TimelineEntry[] {
  return rows
    .filter((row) => !NOT_IN_TIMELINE.has(row.event_type))
    .map((row) => {
      const details = (row.details ?? {}) as Record<string, unknown>;
      const values = Object.fromEntries(
        Object.entries(details).flatMap(([k, v]) =>
          typeof v === 'string' || typeof v === 'number' ? [[k, String(v)]] : [],
        ),
      );
      let key = KNOWN.has(row.event_type) ? `timeline.${row.event_type}` : 'timeline.other';
      if (row.event_type === 'complaint.transition' && typeof details['event'] === 'string') {
        key = `timeline.event.${details['event']}`;
      }
      return {
        at: row.occurred_at,
        key,
        values: { ...values, type: row.event_type },
        actor: row.display_name
          ? { name: row.display_name }
          : { key: row.actor_type === 'public' ? 'timeline.actor.public' : 'timeline.actor.system' },
        failed: row.outcome === 'failure',
      };
    });
}
