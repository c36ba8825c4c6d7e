import { heldAt } from './board.view.js';
import { DateTime } from 'luxon';
import type { Db } from '../../platform/db/database.js';
import { agendaOf, listMeetings, meetingById } from './board.repository.js';
import { boardFindingsOf, votesOfItem } from './boardVote.repository.js';
import { categoryNames, districtNames } from './publicBoard.repository.js';
import type { Finding, Language } from '../../domain/vocabulary.js';
import type { AgendaOutcome } from '../../domain/vocabulary.js';
import { boardSettingsIn } from './boardSettings.service.js';
import { ID_PATTERN as UUID } from '../../domain/ids.js';
import type { MeetingStatus } from './board.view.js';

/** Who reads the public pages: names come in their language, months in the agency's time zone. */
export interface PublicReader {
  language: Language;
  timeZone: string;
}

export interface PublicAllegation {
  number: number;
  category: string;
  categoryName: string;
  /** Null when the votes decided nothing (carried over under the tie rule). */
  finding: Finding | null;
  votesCast: number;
  votesFor: number;
  byTieRule: boolean;
  /** Each member's vote, only where the board's settings make member names public. */
  votes: Array<{ member: string; finding: Finding }>;
}

export interface PublicAgendaItem {
  publicReference: string;
  categories: string[];
  /** The categories' names, each once, in the order of the allegations. */
  categoryNames: string[];
  district: string | null;
  districtName: string | null;
  /** The month the case was received, as YYYY-MM in the agency's time zone: never the day. */
  month: string;
  /** What the meeting did with the case: only once the meeting is closed. */
  outcome: AgendaOutcome | null;
  /** The findings and tallies: only once the meeting is closed. */
  allegations: PublicAllegation[];
}

/** A meeting as the public reads it: when, where, and how far its vote has got. */
export interface PublicMeeting {
  id: string;
  scheduledFor: Date;
  /** When it was held, or will be (a meeting held early is listed on the day it was held). */
  heldAt: Date;
  location: string | null;
  status: MeetingStatus;
}

/** The public agenda of a meeting, and once its vote has closed, its minutes. */
export interface PublicMeetingRecord {
  meeting: PublicMeeting;
  /** Whether the minutes are out: the meeting's vote has closed. */
  published: boolean;
  memberNames: boolean;
  items: PublicAgendaItem[];
}

export type BoardMinutesService = ReturnType<typeof boardMinutesService>;

/**
 * What a meeting decided, two ways. The public agenda and minutes name no complainant, officer or
 * tracking number: a public reference, the categories, the district and the month received, and
 * per allegation the tally and outcome (member names only where the board's settings say so).
 * Nothing of the outcome is public before the meeting closes. The board's own record is
 * boardRecord.service.ts.
 */
export function boardMinutesService(deps: { db: Db }) {
  const { db } = deps;

  async function namesFor(language: Language) {
    const pick = (row: { name_en: string; name_es: string }) => (language === 'es' ? row.name_es : row.name_en);
    const categories = new Map((await categoryNames(db)).map((c) => [c.code, pick(c)]));
    const districts = new Map((await districtNames(db)).map((d) => [d.code, pick(d)]));
    return {
      category: (code: string) => categories.get(code) ?? code,
      district: (code: string | null) => (code === null ? null : (districts.get(code) ?? null)),
    };
  }

  async function publicItems(
    meetingId: string,
    closed: boolean,
    memberNames: boolean,
    reader: PublicReader,
  ): Promise<PublicAgendaItem[]> {
    const items = await agendaOf(db, meetingId);
    const names = await namesFor(reader.language);
    const findings = closed
      ? await boardFindingsOf(
          db,
          items.map((i) => i.id),
        )
      : [];
    return Promise.all(
      items.map(async (item) => {
        const votes = closed && memberNames ? await votesOfItem(db, item.id) : [];
        return {
          publicReference: item.public_reference,
          categories: item.categories,
          categoryNames: [...new Set(item.categories.map(names.category))],
          district: item.district,
          districtName: names.district(item.district),
          month: DateTime.fromJSDate(new Date(item.received_at), { zone: reader.timeZone }).toFormat('yyyy-MM'),
          outcome: closed ? item.outcome : null,
          allegations: findings
            .filter((f) => f.agenda_item_id === item.id)
            .map((f, index) => ({
              number: index + 1,
              category: f.category,
              categoryName: names.category(f.category),
              finding: f.finding,
              votesCast: f.votes_cast,
              votesFor: f.votes_for,
              byTieRule: f.by_tie_rule,
              votes: votes
                .filter((v) => v.allegation_id === f.allegation_id)
                .map((v) => ({ member: v.display_name, finding: v.finding })),
            })),
        };
      }),
    );
  }

  return {
    /** Meetings for the public list: when, where, how many cases, and whether minutes exist. */
    async publicMeetings(): Promise<Array<PublicMeeting & { items: number }>> {
      return (await listMeetings(db)).map((m) => ({
        id: m.id,
        scheduledFor: new Date(m.scheduled_for),
        heldAt: heldAt(m),
        location: m.location,
        status: m.status,
        items: Number(m.items),
      }));
    },

    /** The public agenda, and once voting has closed, the public minutes. Undefined: no such meeting. */
    async publicMeeting(meetingId: string, reader: PublicReader): Promise<PublicMeetingRecord | undefined> {
      if (!UUID.test(meetingId)) return undefined;
      const meeting = await meetingById(db, meetingId);
      if (!meeting) return undefined;
      const settings = await boardSettingsIn(db);
      const closed = meeting.status === 'closed';
      return {
        meeting: {
          id: meeting.id,
          scheduledFor: new Date(meeting.scheduled_for),
          heldAt: heldAt(meeting),
          location: meeting.location,
          status: meeting.status,
        },
        published: closed,
        memberNames: settings.publicMemberNames,
        items: await publicItems(meetingId, closed, settings.publicMemberNames, reader),
      };
    },
  };
}
