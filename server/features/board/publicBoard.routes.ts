import { Router } from 'express';
import type { Config } from '../../platform/config.js';
import { notFound } from '../../domain/errors.js';
import { agencyDateTime, localeOf, type Language } from '../../platform/i18n.js';
import type { Services } from '../../compose.js';

/** A meeting's day and time as the public reads it: in the agency's time zone, with the zone named. */
const meetingTime = (at: Date, language: Language, timeZone: string) => agencyDateTime(at, language, timeZone, true);

/** 'YYYY-MM' as "November 2026" / "noviembre de 2026". */
function monthName(month: string, language: Language): string {
  return new Intl.DateTimeFormat(localeOf(language), { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${month}-15T12:00:00Z`),
  );
}

/** The services these routes use, and nothing else (#16): the composition root hands in no more. */
type Deps = Pick<Services, 'boardMinutes'>;

/**
 * The civilian board in public: its meetings, each meeting's agenda of anonymised cases, and once
 * the vote has closed, the minutes. No complainant, officer, tracking number or exact date.
 */
export function boardRoutes(services: Deps, config: Config): Router {
  const router = Router();
  const { boardMinutes } = services;
  const timeZone = config.agencyTimeZone;

  router.get('/board', async (req, res) => {
    const meetings = (await boardMinutes.publicMeetings()).map((m) => ({
      ...m,
      when: meetingTime(m.heldAt, req.language, timeZone),
    }));
    const upcoming = meetings
      .filter((m) => m.status !== 'closed')
      .sort((a, b) => a.heldAt.getTime() - b.heldAt.getTime());
    const past = meetings.filter((m) => m.status === 'closed');
    res.render('pages/board/meetings.njk', { upcoming, past });
  });

  router.get('/board/meetings/:id', async (req, res) => {
    const found = await boardMinutes.publicMeeting(req.params.id, { language: req.language, timeZone });
    if (!found) throw notFound();
    res.render('pages/board/meeting.njk', {
      ...found,
      when: meetingTime(found.meeting.heldAt, req.language, timeZone),
      tieRuleUsed: found.items.some((item) => item.allegations.some((a) => a.byTieRule && a.finding)),
      items: found.items.map((item) => ({
        ...item,
        monthName: monthName(item.month, req.language),
        allegations: item.allegations.map((a) => ({
          ...a,
          // "3 of 5 votes" for a finding; only the votes cast when the votes decided nothing.
          votesText: a.finding
            ? req.t('publicBoard.tally', { votesFor: a.votesFor, count: a.votesCast })
            : req.t('publicBoard.votesCast', { count: a.votesCast }),
        })),
      })),
    });
  });

  return router;
}
