import { expect } from 'chai';
import { checkStaffPages } from '../support/staffBrowser.js';
import { createStaff, type TestStaff } from '../support/staff.js';

/**
 * Policy recommendations (#19 part 3) in Chromium, from the demo agency: the public tracker and a
 * recommendation's history, the staff list and pages, and a meeting's recommendations with a
 * member's ballot. Both languages, phone and desktop, zero axe violations.
 */
checkStaffPages<{
  staff: { supervisor: TestStaff; member: TestStaff };
  adopted: string;
  reference: string;
  draft: string;
  meeting: string;
  voting: string;
}>(
  'policy recommendations',
  async ({ db, services }) => {
    const supervisor = await createStaff(db, ['supervisor']);
    const member = await createStaff(db, ['board']);
    // A draft on the agenda of the demo's meeting voting today: the member's ballot is open.
    const organiser = { userId: supervisor.id, roles: ['supervisor' as const] };
    const voting = await db
      .selectFrom('board_meetings')
      .select('id')
      .where('status', '=', 'voting')
      .executeTakeFirstOrThrow();
    const onBallot = await services.recommendations.create(organiser, {
      titleEn: 'Publish the use-of-force policy online',
      titleEs: 'Publicar en línea la política sobre el uso de la fuerza',
      bodyEn: 'The department should publish its use-of-force policy on its website.',
      bodyEs: 'El departamento debería publicar en su sitio web su política sobre el uso de la fuerza.',
      basisEn: 'Residents could not find the rules officers follow.',
      basisEs: 'Los residentes no encontraban las reglas que siguen los agentes.',
      cases: [],
    });
    await services.recommendationVotes.addToAgenda(organiser, voting.id, onBallot);
    const adopted = await db
      .selectFrom('recommendations')
      .select(['id', 'reference'])
      .where('status', '=', 'adopted')
      .orderBy('reference')
      .executeTakeFirstOrThrow();
    const draft = await db
      .selectFrom('recommendations as r')
      .innerJoin('recommendation_items as i', 'i.recommendation_id', 'r.id')
      .select(['r.id', 'i.meeting_id'])
      .where('r.status', '=', 'draft')
      .executeTakeFirstOrThrow();
    return {
      staff: { supervisor, member },
      adopted: adopted.id,
      reference: adopted.reference,
      draft: draft.id,
      meeting: draft.meeting_id,
      voting: voting.id,
    };
  },
  [
    {
      name: 'public tracker',
      as: '',
      path: () => '/recommendations',
      then: async (page) => {
        expect(await page.locator('main tbody tr').count()).to.equal(2);
      },
    },
    { name: 'public tracker, filtered', as: '', path: () => '/recommendations?status=response_overdue' },
    {
      name: 'a recommendation and its history, in public',
      as: '',
      path: (f) => `/recommendations/${f.reference}`,
      then: async (page) => {
        expect(await page.locator('main tbody tr').count()).to.equal(3);
      },
    },
    { name: 'staff list', as: 'supervisor', path: () => '/staff/recommendations' },
    {
      name: 'an adopted recommendation, with the update form',
      as: 'supervisor',
      path: (f) => `/staff/recommendations/${f.adopted}`,
    },
    { name: 'a draft on an agenda', as: 'supervisor', path: (f) => `/staff/recommendations/${f.draft}` },
    {
      name: 'a new draft, with errors',
      as: 'supervisor',
      path: () => '/staff/recommendations/new',
      then: async (page) => {
        await Promise.all([page.waitForNavigation(), page.click('main form button[type="submit"]')]);
        expect(await page.locator('#error-summary li').count()).to.equal(6);
        expect(await page.evaluate(() => document.activeElement?.id)).to.equal('error-summary');
      },
    },
    {
      name: "a meeting's recommendations, as a member",
      as: 'member',
      path: (f) => `/staff/board/meetings/${f.meeting}/recommendations`,
    },
    {
      name: 'a ballot sent without a choice',
      as: 'member',
      path: (f) => `/staff/board/meetings/${f.voting}/recommendations`,
      then: async (page) => {
        await Promise.all([page.waitForNavigation(), page.click('main form[action$="/vote"] button[type="submit"]')]);
        expect(await page.getAttribute('#error-summary a', 'href')).to.equal('#field-choice');
        expect(await page.locator('#field-choice').count()).to.equal(1);
      },
    },
  ],
  { demo: true },
);
