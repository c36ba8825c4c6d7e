import { createHmac, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Services } from '../server/compose.js';
import type { Config } from '../server/platform/config.js';
import type { Db } from '../server/platform/db/database.js';
import { complaintSubmission } from '../server/features/residents/complaint.schemas.js';
import { STAFF_COOKIE } from '../server/features/accounts/setUpStaffSession.js';
import { SESSION_IDLE_MS } from '../server/features/accounts/session.service.js';

// The bench's data: the app's bulk seeder (server/demo/seed.service.ts: complaints, allegations
// against the demo officers, each open case's clocks) to exactly the size asked, plus the history
// a dashboard reads (closed investigations' clocks, survey answers); then what the load needs: real
// complaints filed with their access codes, a supervisor's API token and staff sessions.

/** Every synthetic complaint carries this hash, which no access code matches. */
const SYNTHETIC = 'synthetic:not-a-valid-code';

const count = (n: number) => n.toLocaleString('en-US');

export async function syntheticCount(db: Db): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from complaints where access_code_hash = ${SYNTHETIC}`.execute(db);
  return rows[0]?.n ?? 0;
}

/** Closed investigations' clocks (met or breached) and survey answers for some closed cases. */
async function addHistory(db: Db): Promise<void> {
  await sql`
    with clocks as (
      insert into deadlines (complaint_id, kind, starts_at, due_at, status, completed_at)
      select c.id, 'investigation', c.received_at, c.received_at + interval '180 days',
             case when c.closed_at <= c.received_at + interval '180 days' then 'met' else 'breached' end, c.closed_at
        from complaints c
       where c.access_code_hash = ${SYNTHETIC} and c.outcome = 'decided' and c.closed_at is not null
      returning 1
    )
    insert into surveys (complaint_id, token_hash, language, sent_at, answered_at, respect, understood, informed,
                         explained, trust)
    select c.id, 'bench:' || c.id::text, c.language, c.closed_at, least(now(), c.closed_at + interval '3 days'),
           1 + floor(random() * 5)::int, 1 + floor(random() * 5)::int, 1 + floor(random() * 5)::int,
           1 + floor(random() * 5)::int, 1 + floor(random() * 5)::int
      from complaints c
     where c.access_code_hash = ${SYNTHETIC} and c.closed_at is not null and random() < 0.15`.execute(db);
}

/**
 * Seeds synthetic complaints to exactly `target`, unless exactly that many are there already (a
 * re-run on PostgreSQL reuses them); any other number is deleted first.
 */
export async function seed(db: Db, svc: Services, target: number): Promise<{ ms: number; reused: boolean }> {
  const started = Date.now();
  const existing = await syntheticCount(db);
  if (existing === target) return { ms: Date.now() - started, reused: true };
  if (existing > 0) {
    process.stdout.write(`  deleting ${count(existing)} synthetic complaints (asked for ${count(target)})…\n`);
    await sql`delete from complaints where access_code_hash = ${SYNTHETIC}`.execute(db);
  }
  await svc.seed.loadSyntheticComplaints(target, (done) => {
    process.stdout.write(`  seeded ${count(done)} complaints (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
  });
  await addHistory(db);
  await sql`analyze`.execute(db);
  return { ms: Date.now() - started, reused: false };
}

/** Complaints filed for the lookups: each lookup asks for one of them at random (see bench.scenarios.ts). */
export const LOOKUP_CASES = 64;

/** Staff sessions made: a warm-up and a load at each number of connections, for each staff page. */
const STAFF_SESSIONS = 8;

export interface Fixture {
  /** Complaints filed through the intake service, each looked up with its own access code. */
  lookups: Array<{ trackingNumber: string; accessCode: string }>;
  /** A supervisor's API token (the case queue). */
  bearer: string;
  /**
   * A supervisor's staff session cookies (the early-intervention pages), one for each load that
   * uses one: the app ends a session whose loading failed (see bench.scenarios.ts), and that must
   * count against the load that caused it, not the next.
   */
  staffCookies: string[];
  district: string;
  category: string;
  /** The access-code key (hex), for the bare lookup's HMAC. */
  accessKeyHex: string;
}

/** The body of an API filing, from a resident with this address. */
export function filingBody(district: string, category: string, email: string) {
  return {
    language: 'en',
    narrative: 'Benchmark complaint: an officer was rude during a traffic stop and would not give a badge number.',
    district,
    categories: [category],
    officers: [],
    witnesses: [],
    about: { filing: 'self', name: 'Bench Resident', email, preferredContact: 'email' },
    consent: true,
    truthful: true,
  };
}

/** The signed staff cookie for a session id, as express-session (cookie-signature) writes it. */
function signedCookie(secret: string, id: string): string {
  const signature = createHmac('sha256', secret).update(id).digest('base64').replace(/=+$/, '');
  return `${STAFF_COOKIE}=${encodeURIComponent(`s:${id}.${signature}`)}`;
}

export async function makeFixture(db: Db, svc: Services, config: Config): Promise<Fixture> {
  // The queue's district filter and the filings use the demo agency's 'north' where it exists.
  const districts = await db.selectFrom('districts').select('code').where('active', '=', true).execute();
  const district = districts.find((d) => d.code === 'north')?.code ?? districts[0]!.code;
  const category = await db
    .selectFrom('allegation_categories')
    .select('code')
    .where('active', '=', true)
    .orderBy('code')
    .executeTakeFirstOrThrow();
  const lookups: Fixture['lookups'] = [];
  for (let i = 0; i < LOOKUP_CASES; i++) {
    const body = filingBody(district, category.code, `resident-${i}@example.org`);
    const secret = randomBytes(32).toString('base64url');
    const receipt = await svc.intake.submit(complaintSubmission.parse(body), { channel: 'api', secret });
    lookups.push({ trackingNumber: receipt.trackingNumber, accessCode: receipt.accessCode });
  }

  const users = await db.selectFrom('users').select(['id', 'email']).execute();
  const idOf = (email: string) => users.find((u) => u.email === email)!.id;
  const supervisor = idOf('supervisor@example.org');
  // The admin authorises the token; the supervisor collects it (only the holder sees the secret).
  const { id: tokenId } = await svc.apiTokens.issue(idOf('admin@example.org'), { userId: supervisor, name: 'bench' });
  const collected = await svc.apiTokens.collect(supervisor, tokenId);
  if (collected.outcome !== 'collected') throw new Error(`could not collect the bench token: ${collected.outcome}`);

  // Signed-in supervisor's sessions, stored as the session store stores one after sign-in.
  const staffCookies: string[] = [];
  for (let i = 0; i < STAFF_SESSIONS; i++) {
    const sessionId = randomBytes(32).toString('base64url');
    const cookie = {
      originalMaxAge: SESSION_IDLE_MS,
      expires: new Date(Date.now() + SESSION_IDLE_MS).toISOString(),
      secure: true,
      httpOnly: true,
      path: '/staff',
      sameSite: 'lax',
    };
    await svc.sessions.set(sessionId, { cookie, passport: { user: supervisor }, secondFactor: true }, supervisor);
    staffCookies.push(signedCookie(config.secrets.session[0]!, sessionId));
  }

  return {
    lookups,
    bearer: collected.token,
    staffCookies,
    district,
    category: category.code,
    accessKeyHex: svc.keys.accessCode.toString('hex'),
  };
}
