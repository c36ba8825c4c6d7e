import { expect } from 'chai';
import request from 'supertest';
import { testApp } from '../support/app.js';
import { useDatabase } from '../support/database.js';
import { csrfOf } from '../support/resident.js';
import { createStaff, signIn, type TestStaff } from '../support/staff.js';
import type { Agent } from '../support/resident.js';

const COMPLAINT = {
  language: 'en',
  narrative: 'An officer shouted at me while I waited at the bus stop on Main Street.',
  incidentDate: '2026-09-12',
  categories: ['discourtesy'],
  officers: [],
  witnesses: [],
  about: { filing: 'self', name: 'Dana Example', email: 'dana@example.com', preferredContact: 'email' },
  consent: true,
  truthful: true,
};

/** #17 item 10: the irreversible steps of a case are confirmed on a page that says what will happen. */
describe('irreversible case actions: confirmed first, then said in words', () => {
  const database = useDatabase();
  let app: ReturnType<typeof testApp>['app'];
  let intake: TestStaff, supervisor: TestStaff, investigator: TestStaff;

  before(async () => {
    ({ app } = testApp(database.handle));
    intake = await createStaff(database.db, ['intake']);
    supervisor = await createStaff(database.db, ['supervisor']);
    investigator = await createStaff(database.db, ['investigator']);
  });

  const newCase = async () => {
    const filed = await request(app).post('/api/v1/complaints').send(COMPLAINT).expect(201);
    const row = await database.db
      .selectFrom('complaints')
      .select('id')
      .where('tracking_number', '=', filed.body.trackingNumber)
      .executeTakeFirstOrThrow();
    return row.id;
  };
  const state = async (id: string) =>
    (await database.db.selectFrom('complaints').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state;
  const post = async (agent: Agent, id: string, event: string, fields: Record<string, string> = {}) => {
    const page = await agent.get(`/staff/cases/${id}`).expect(200);
    const version = /name="version" value="(\d+)"/.exec(page.text)?.[1] ?? '';
    return agent
      .post(`/staff/cases/${id}/actions/${event}`)
      .type('form')
      .send({ _csrf: csrfOf(page.text), version, ...fields });
  };
  /** The confirmation page's own form, sent as it is: its hidden fields carry the details. */
  const confirmOn = (agent: Agent, html: string, id: string, event: string) => {
    const form = html.slice(html.indexOf(`action="/staff/cases/${id}/actions/${event}"`));
    const hidden = Object.fromEntries(
      [...form.slice(0, form.indexOf('</form>')).matchAll(/type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [
        m[1]!,
        m[2]!,
      ]),
    );
    expect(hidden['confirm']).to.equal('yes');
    return agent.post(`/staff/cases/${id}/actions/${event}`).type('form').send(hidden);
  };

  it('dismissing asks first, names the reason, and changes nothing until confirmed', async () => {
    const id = await newCase();
    const agent = await signIn(app, intake);
    expect((await post(agent, id, 'BEGIN_TRIAGE')).status).to.equal(303);
    const before = await state(id);
    const asked = await post(agent, id, 'DISMISS', { reason: 'no_jurisdiction' });
    expect(asked.status).to.equal(200);
    expect(asked.text).to.contain('This cannot be undone');
    expect(asked.text).to.contain('The complaint will be closed without an investigation');
    expect(asked.text).to.contain('Outside our jurisdiction');
    expect(asked.text).to.contain('Yes, dismiss the complaint');
    expect(asked.text).to.contain(`href="/staff/cases/${id}#actions"`);
    expect(await state(id), 'nothing happens before the confirmation').to.equal(before);
    const done = await confirmOn(agent, asked.text, id, 'DISMISS');
    expect(done.status).to.equal(303);
    expect(await state(id)).to.equal('closed');
    const page = await agent.get(`/staff/cases/${id}`).expect(200);
    expect(page.text).to.contain('The complaint was dismissed and is closed.');
    expect(page.text).not.to.contain('Done:');
  });

  it('a bad reason is a field error before any confirmation; a stale form is a conflict', async () => {
    const id = await newCase();
    const agent = await signIn(app, intake);
    const bad = await post(agent, id, 'DISMISS', { reason: 'because' });
    expect(bad.status).to.equal(400);
    expect(bad.text).not.to.contain('This cannot be undone');
    const page = await agent.get(`/staff/cases/${id}`).expect(200);
    const stale = await agent
      .post(`/staff/cases/${id}/actions/DISMISS`)
      .type('form')
      .send({ _csrf: csrfOf(page.text), version: '99', reason: 'duplicate' });
    expect(stale.status).to.equal(409);
    // A confirmation carrying a stale version is refused too: nothing happens twice.
    const twice = await agent
      .post(`/staff/cases/${id}/actions/DISMISS`)
      .type('form')
      .send({ _csrf: csrfOf(page.text), version: '99', reason: 'duplicate', confirm: 'yes' });
    expect(twice.status).to.equal(409);
    expect(await state(id)).not.to.equal('closed');
  });

  it('no confirmation page for a step the viewer may not take: 404 as for any other', async () => {
    const id = await newCase();
    const sup = await signIn(app, supervisor);
    expect((await post(sup, id, 'BEGIN_TRIAGE')).status).to.equal(303);
    expect((await post(sup, id, 'ACCEPT')).status).to.equal(303);
    expect((await post(sup, id, 'ASSIGN', { investigatorId: investigator.id })).status).to.equal(303);
    const inv = await signIn(app, investigator);
    expect((await post(inv, id, 'CLOSE_WITHDRAWN')).status).to.equal(404);
  });

  it('a withdrawal before any investigation closes the complaint, and the pages say so', async () => {
    const id = await newCase();
    const desk = await signIn(app, intake);
    const asked = await post(desk, id, 'WITHDRAW');
    expect(asked.status).to.equal(200);
    expect(asked.text).to.contain('The complaint will be closed as withdrawn, as the complainant asked.');
    expect((await confirmOn(desk, asked.text, id, 'WITHDRAW')).status).to.equal(303);
    expect(await state(id)).to.equal('closed');
    expect((await desk.get(`/staff/cases/${id}`)).text).to.contain('and the complaint is closed.');
  });

  it('during an investigation: recording a withdrawal, then closing as withdrawn, each confirmed', async () => {
    const id = await newCase();
    const sup = await signIn(app, supervisor);
    for (const event of ['BEGIN_TRIAGE', 'ACCEPT']) expect((await post(sup, id, event)).status).to.equal(303);
    const desk = await signIn(app, intake);
    const asked = await post(desk, id, 'WITHDRAW');
    expect(asked.status).to.equal(200);
    expect(asked.text).to.contain('wish to withdraw will be recorded');
    expect((await confirmOn(desk, asked.text, id, 'WITHDRAW')).status).to.equal(303);
    expect((await desk.get(`/staff/cases/${id}`)).text).to.contain('withdrawal was recorded. A supervisor now decides');
    const close = await post(sup, id, 'CLOSE_WITHDRAWN');
    expect(close.status).to.equal(200);
    expect(close.text).to.contain('The complaint will be closed as withdrawn.');
    expect((await confirmOn(sup, close.text, id, 'CLOSE_WITHDRAWN')).status).to.equal(303);
    expect(await state(id)).to.equal('closed');
    expect((await sup.get(`/staff/cases/${id}`)).text).to.contain('The complaint was closed as withdrawn.');
  });
});
