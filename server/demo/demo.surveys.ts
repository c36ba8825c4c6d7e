import type { Db } from '../platform/db/database.js';
import {
  countAnswered,
  storeAnswers,
  unansweredSurveys,
  type SurveyAnswers,
} from '../features/surveys/survey.repository.js';

/**
 * Answers for the demo's closing surveys, varied, mostly favourable with some dissatisfaction,
 * a few questions skipped. Comments are internal: the dashboard must never show them.
 */
const ANSWERS: SurveyAnswers[] = [
  {
    respect: 5,
    understood: 4,
    informed: 4,
    explained: 5,
    trust: 4,
    comment: 'The intake officer was patient with me.',
  },
  { respect: 4, understood: 4, informed: 3, explained: 4, trust: 4, comment: null },
  { respect: 5, understood: 5, informed: 5, explained: 4, trust: 5, comment: null },
  { respect: 2, understood: 3, informed: 1, explained: 2, trust: 2, comment: 'Months went by without any news.' },
  { respect: 4, understood: 5, informed: 4, explained: 4, trust: 3, comment: null },
  { respect: 5, understood: 4, informed: 4, explained: null, trust: 4, comment: null },
  { respect: 3, understood: 2, informed: 2, explained: 3, trust: 2, comment: null },
  {
    respect: 4,
    understood: 4,
    informed: 5,
    explained: 5,
    trust: 4,
    comment: 'The letter explained the outcome in plain words.',
  },
  { respect: 5, understood: 3, informed: 4, explained: 4, trust: null, comment: null },
  { respect: 1, understood: 2, informed: 2, explained: 1, trust: 1, comment: null },
  { respect: 4, understood: 4, informed: 4, explained: 4, trust: 5, comment: null },
];
const HOUR = 3_600_000;

/**
 * Answers the demo's closing surveys (sent by the workflow when its cases closed), leaving at
 * least one invitation unanswered. Once only: nothing happens when any survey is answered.
 */
export async function answerDemoSurveys(db: Db, now = new Date()): Promise<number> {
  if ((await countAnswered(db)) > 0) return 0;
  const open = await unansweredSurveys(db);
  const chosen = open.slice(0, Math.min(ANSWERS.length, open.length - 1));
  let answered = 0;
  for (const [i, survey] of chosen.entries()) {
    // A few hours after the invitation, and never in the future.
    const at = new Date(Math.min(now.getTime(), survey.sent_at.getTime() + (i + 1) * HOUR));
    if (await storeAnswers(db, { id: survey.id }, ANSWERS[i]!, at, new Date(0))) answered++;
  }
  return answered;
}
