import { expect } from 'chai';
import request from 'supertest';
import { testApp } from '../support/app.js';
import { useDatabase } from '../support/database.js';
import { csrfOf, errorsOf } from '../support/resident.js';
import { createStaff, signIn, type TestStaff } from '../support/staff.js';
import type { Agent } from '../support/resident.js';

const COMPLAINT = {
  language: 'en',
  narrative: 'I was stopped on my way home and searched without any reason given.',
  incidentDate: '2026-09-12',
  categories: ['search_seizure', 'discourtesy'],
  officers: [{ name: 'Officer Doe', badgeNumber: '1203' }],
  witnesses: [],
  about: { filing: 'self', name: 'Rosa Canary', email: 'rosa.canary@example.com', preferredContact: 'email' },
  consent: true,
  truthful: true,
};

/** The version field of the case page's first action form: the case as this person saw it. */
const versionOf = (html: string) => Number(/name="version" value="(\d+)"/.exec(html)?.[1]);

describe('one complete investigation through the staff HTML forms', () => {
  const database = useDatabase();
  let app: ReturnType<typeof testApp>['app'];
  let services: ReturnType<typeof testApp>['services'];
  let intake: TestStaff, supervisor: TestStaff, investigator: TestStaff, other: TestStaff;
  let caseId: string;

  before(async () => {
    ({ app, services } = testApp(database.handle));
    intake = await createStaff(database.db, ['intake']);
    supervisor = await createStaff(database.db, ['supervisor']);
    investigator = await createStaff(database.db, ['investigator'], { name: 'Iris Investigator' });
    other = await createStaff(database.db, ['investigator']);
    await database.db
      .insertInto('officers')
      .values({ first_name: 'John', last_name: 'Doe', badge_number: '1203' })
      .execute();
    const filed = await request(app).post('/api/v1/complaints').send(COMPLAINT).expect(201);
    const row = await database.db
      .selectFrom('complaints')
      .select('id')
      .where('tracking_number', '=', filed.body.trackingNumber)
      .executeTakeFirstOrThrow();
    caseId = row.id;
  });

  const casePage = async (agent: Agent) => {
    const page = await agent.get(`/staff/cases/${caseId}`).expect(200);
    return { html: page.text, csrf: csrfOf(page.text), version: versionOf(page.text) };
  };
  const act = async (agent: Agent, event: string, fields: Record<string, string> = {}) => {
    const { csrf, version } = await casePage(agent);
    return agent
      .post(`/staff/cases/${caseId}/actions/${event}`)
      .type('form')
      .send({ _csrf: csrf, version: String(version), ...fields });
  };
  const state = async () =>
    (await database.db.selectFrom('complaints').select('state').where('id', '=', caseId).executeTakeFirstOrThrow())
      .state;

  it('labels every control of the note form apart: the kind of note and its text (#17 item 11)', async () => {
    const { html } = await casePage(await signIn(app, intake));
    const form = html.slice(html.indexOf('/notes"'), html.indexOf('</form>', html.indexOf('/notes"')));
    const labels = [...form.matchAll(/<(?:label|legend)[^>]*>\s*([^<]+?)\s*</g)].map((m) => m[1]);
    expect(labels).to.include.members(['Kind of note', 'General note', 'Interview', 'Text of the note']);
    expect(new Set(labels).size).to.equal(labels.length);
  });
  it('intake triages and accepts; the complainant is shown to intake', async () => {
    const agent = await signIn(app, intake);
    const { html } = await casePage(agent);
    expect(html).to.contain('Rosa Canary').and.to.contain('Begin triage');
    expect((await act(agent, 'BEGIN_TRIAGE')).status).to.equal(303);
    expect(await state()).to.equal('intake.triage');
    expect((await act(agent, 'ACCEPT')).status).to.equal(303);
    expect(await state()).to.equal('investigation.awaitingAssignment');
  });

  it('refuses a stale form (another version) with 409 and changes nothing', async () => {
    const agent = await signIn(app, supervisor);
    const { csrf } = await casePage(agent);
    const res = await agent
      .post(`/staff/cases/${caseId}/actions/BEGIN_TRIAGE`)
      .type('form')
      .send({ _csrf: csrf, version: '1' });
    expect(res.status).to.equal(409);
    expect(await state()).to.equal('investigation.awaitingAssignment');
  });

  it('the investigator cannot see the case before it is assigned to them', async () => {
    const agent = await signIn(app, investigator);
    await agent.get(`/staff/cases/${caseId}`).expect(404);
  });

  it('a supervisor assigns it; an unknown investigator is a field error', async () => {
    const agent = await signIn(app, supervisor);
    const bad = await act(agent, 'ASSIGN', { investigatorId: supervisor.id });
    expect(bad.status).to.equal(400);
    const missing = await act(agent, 'ASSIGN', {});
    expect(missing.status).to.equal(400);
    expect(errorsOf(missing.text).length).to.be.greaterThan(0);
    expect((await act(agent, 'ASSIGN', { investigatorId: investigator.id })).status).to.equal(303);
    expect(await state()).to.equal('investigation.assigned');
  });

  it('the assigned investigator investigates: notes, an allegation, evidence, then draft findings', async () => {
    const agent = await signIn(app, investigator);
    expect((await act(agent, 'BEGIN_INVESTIGATION')).status).to.equal(303);
    let { csrf } = await casePage(agent);
    const empty = await agent
      .post(`/staff/cases/${caseId}/notes`)
      .type('form')
      .send({ _csrf: csrf, kind: 'note', body: ' ' });
    expect(empty.status).to.equal(400);
    await agent
      .post(`/staff/cases/${caseId}/notes`)
      .type('form')
      .send({ _csrf: csrf, kind: 'interview', body: 'Interviewed the complainant by phone.' })
      .expect(303);
    const officer = await database.db.selectFrom('officers').select('id').executeTakeFirstOrThrow();
    await agent
      .post(`/staff/cases/${caseId}/allegations`)
      .type('form')
      .send({
        _csrf: csrf,
        category: 'force',
        officerId: officer.id,
        officerDescription: '',
        summary: 'Pushed against the car.',
      })
      .expect(303);
    const badCategory = await agent
      .post(`/staff/cases/${caseId}/allegations`)
      .type('form')
      .send({ _csrf: csrf, category: 'nope', officerId: '', officerDescription: 'Tall officer' });
    expect(badCategory.status).to.equal(400);
    await agent
      .post(`/staff/cases/${caseId}/evidence`)
      .field('_csrf', csrf)
      .attach('evidence', Buffer.from('Statement of the witness.\n'), 'statement.txt')
      .expect(303);
    ({ csrf } = await casePage(agent));
    const page = await casePage(agent);
    const ids = [...page.html.matchAll(/name="finding-([0-9a-f-]{36})"/g)].map((m) => m[1]!);
    expect(ids).to.have.length(3);
    const findings = (fields: Record<string, string>) =>
      agent
        .post(`/staff/cases/${caseId}/findings`)
        .type('form')
        .send({ _csrf: page.csrf, version: String(page.version), ...fields });
    const drafted = async () =>
      (
        await database.db
          .selectFrom('allegations')
          .select(['draft_finding', 'draft_rationale'])
          .where('complaint_id', '=', caseId)
          .orderBy('created_at')
          .orderBy('id')
          .execute()
      ).map((d) => [d.draft_finding, d.draft_rationale]);
    // #17 item 9: a partial draft is saved as it is, and nothing is submitted.
    const partial = await findings({ intent: 'save', [`finding-${ids[0]}`]: 'sustained' });
    expect(partial.status).to.equal(303);
    expect(partial.headers['location']).to.equal(`/staff/cases/${caseId}#findings`);
    expect(await state()).to.equal('investigation.active');
    expect(await drafted()).to.deep.equal([
      ['sustained', null],
      [null, null],
      [null, null],
    ]);
    const saved = await casePage(agent);
    expect(saved.html).to.contain('Your draft findings are saved. Nothing has been sent');
    expect(saved.html).to.match(/<option value="sustained"\s+selected/);
    // Neither a bad finding in a draft nor a form without its button saves anything.
    expect((await findings({ intent: 'save', [`finding-${ids[1]}`]: 'guilty' })).status).to.equal(400);
    expect((await findings({ [`finding-${ids[1]}`]: 'sustained' })).status).to.equal(400);
    // Submitting needs every finding and its reasons; refused, the draft stays as it was.
    const incomplete = await findings({ intent: 'submit', [`finding-${ids[1]}`]: 'sustained' });
    expect(incomplete.status).to.equal(400);
    expect(errorsOf(incomplete.text).length).to.be.at.least(5);
    expect(await drafted()).to.deep.equal([
      ['sustained', null],
      [null, null],
      [null, null],
    ]);
    // Confirming drafts that are not complete is refused too, on the case page.
    const early = await agent
      .post(`/staff/cases/${caseId}/findings/submit`)
      .type('form')
      .send({ _csrf: page.csrf, version: String(page.version) });
    expect(early.status).to.equal(400);
    expect(early.text).to.contain('Every allegation needs a finding and its reasons');
    expect(await state()).to.equal('investigation.active');
    const form: Record<string, string> = { intent: 'submit' };
    for (const [i, id] of ids.entries()) {
      form[`finding-${id}`] = i === 0 ? 'sustained' : 'not_sustained';
      form[`rationale-${id}`] = 'The body-worn camera video shows it.';
    }
    const submitted = await findings(form);
    expect(submitted.status).to.equal(303);
    expect(submitted.headers['location']).to.equal(`/staff/cases/${caseId}/findings/submit`);
    expect(await state(), 'not yet: the confirmation comes first').to.equal('investigation.active');
    const confirm = await agent.get(`/staff/cases/${caseId}/findings/submit`).expect(200);
    expect(confirm.text).to.contain('you cannot change them unless a supervisor sends them back');
    expect(confirm.text).to.contain('The body-worn camera video shows it.');
    await agent
      .post(`/staff/cases/${caseId}/findings/submit`)
      .type('form')
      .send({ _csrf: csrfOf(confirm.text), version: String(versionOf(confirm.text)) })
      .expect(303);
    expect(await state()).to.equal('investigation.findingsDrafted');
    const after = await casePage(agent);
    expect(after.html).to.contain('The findings were submitted. A supervisor now reviews them');
    const drafts = await database.db
      .selectFrom('allegations')
      .select('draft_finding')
      .where('complaint_id', '=', caseId)
      .execute();
    expect(drafts.map((d) => d.draft_finding).sort()).to.deep.equal(['not_sustained', 'not_sustained', 'sustained']);
    // Submitted findings are no longer a draft: saving again is a conflict, and nothing changes.
    expect((await findings({ ...form, intent: 'save' })).status).to.equal(409);
    const late = await agent.get(`/staff/cases/${caseId}/findings/submit`).expect(200);
    expect(late.text).to.contain('These findings are no longer being drafted').and.not.to.contain('findings/submit"');
    const audited = await database.db
      .selectFrom('audit_events')
      .select('details')
      .where('event_type', '=', 'findings.draft_saved')
      .where('object_id', '=', caseId)
      .execute();
    expect(audited).to.have.length(2);
  });

  it('the investigator downloads the evidence as an attachment with the R20 headers, audited', async () => {
    const agent = await signIn(app, investigator);
    const file = await database.db
      .selectFrom('attachments')
      .select('id')
      .where('complaint_id', '=', caseId)
      .executeTakeFirstOrThrow();
    const res = await agent.get(`/staff/cases/${caseId}/evidence/${file.id}`).expect(200);
    expect(res.headers['content-disposition']).to.match(/^attachment; filename="?statement\.txt"?$/);
    expect(res.headers['x-content-type-options']).to.equal('nosniff');
    expect(res.headers['content-security-policy']).to.contain('sandbox');
    const audited = await database.db
      .selectFrom('audit_events')
      .select('id')
      .where('event_type', '=', 'evidence.download')
      .where('object_id', '=', caseId)
      .execute();
    expect(audited).to.have.length(1);
    // Another investigator's request for the same file: 404, as for a file that does not exist.
    const stranger = await signIn(app, other);
    await stranger.get(`/staff/cases/${caseId}/evidence/${file.id}`).expect(404);
  });

  it('the investigator cannot approve the findings; the supervisor can, and the case goes to the board', async () => {
    const agent = await signIn(app, investigator);
    const { html } = await casePage(agent);
    expect(html).not.to.contain(`/actions/SUBMIT_FINDINGS`);
    expect((await act(agent, 'SUBMIT_FINDINGS')).status).to.equal(404);
    const sup = await signIn(app, supervisor);
    expect((await act(sup, 'SUBMIT_FINDINGS')).status).to.equal(303);
    expect(await state()).to.equal('boardReview.scheduled');
  });

  it('the timeline tells the story in plain words, and every read is audited', async () => {
    const agent = await signIn(app, supervisor);
    const { html } = await casePage(agent);
    for (const words of [
      'Complaint received',
      'Accepted for investigation',
      'Assigned to an investigator',
      'Findings approved and sent to the board',
      'Evidence file downloaded',
    ]) {
      expect(html).to.contain(words);
    }
    const reads = await database.db
      .selectFrom('audit_events')
      .select('id')
      .where('event_type', '=', 'case.read')
      .where('object_id', '=', caseId)
      .execute();
    expect(reads.length).to.be.greaterThan(5);
    expect((await services.audit.verify()).ok).to.equal(true);
  });
});
