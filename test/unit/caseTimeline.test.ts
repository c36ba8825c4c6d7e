import { expect } from 'chai';
import { TIMELINE_EVENTS, timelineOf } from '../../server/features/cases/caseTimeline.js';
import { createTranslator } from '../../server/platform/i18n.js';

const row = (eventType: string, details: Record<string, unknown> = {}) => ({
  occurred_at: new Date('2026-11-26T17:00:00Z'),
  event_type: eventType,
  actor_type: 'user',
  outcome: 'success',
  details,
  display_name: 'Sam Supervisor',
});

/** The events of a case's audit trail with words of their own, and one the timeline does not know. */
const CASE_EVENTS = [...TIMELINE_EVENTS, 'complaint.transition'];

describe("the case's timeline in plain words (#17 item 11)", () => {
  const translator = createTranslator();

  it('tells every step of a case in words in both languages, never as a raw event type', () => {
    for (const language of ['en', 'es'] as const) {
      const t = translator.t(language);
      for (const entry of timelineOf(CASE_EVENTS.map((type) => row(type)))) {
        const text = t(entry.key, entry.values);
        expect(text, entry.key).not.to.equal(entry.key);
        expect(text).not.to.match(/[a-z]+\.[a-z_]+/);
      }
    }
  });

  it('says an unknown step in words too, without its internal name', () => {
    const [entry] = timelineOf([row('something.new_and_unlisted')]);
    for (const language of ['en', 'es'] as const) {
      expect(translator.t(language)(entry!.key, entry!.values)).not.to.contain('something.new_and_unlisted');
    }
  });
});
