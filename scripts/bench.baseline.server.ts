// The audit chain's lock: the app's appends and the bare filing wait on the same one.
import { CHAIN_LOCK, appendToChain } from '../server/platform/audit/audit.repository.js';
import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import express from 'express';
import { sql } from 'kysely';
import { openDatabase } from '../server/platform/db/database.js';
import { GENESIS_HASH, auditBody } from '../server/platform/audit/audit.hash.js';
import { createLogger } from '../server/platform/logger.js';

// A bare server, the yardstick a scenario is compared with in the same run (bench.ts starts one per
// baseline, each in its own process): Express, Kysely and the database driver, and only the work
// the scenario's request cannot do without. BENCH_BASELINE picks it:
//   html     GET /page: a fixed small HTML page.
//   lookup   POST /status: the status lookup's indexed read (the complaint by tracking number, its
//            access-code hash and public stage fields) and the HMAC check of the code (same key,
//            same construction as server/platform/workflow/complaint.codes.ts, so it really matches).
//   filing   POST /complaints: the filing's rate-limit counter, then one transaction inserting the
//            complaint (with its submission token, the app's idempotency record), one allegation,
//            and one hash-chained audit row under the audit chain's advisory lock.
// With PGlite (no DATABASE_URL) it opens its own copy of the bench's database (BENCH_PGLITE_DIR).

const kind = process.env['BENCH_BASELINE'] ?? '';
if (!['html', 'lookup', 'filing'].includes(kind)) throw new Error('BENCH_BASELINE must be html, lookup or filing');
const key = Buffer.from(process.env['BENCH_ACCESS_KEY'] ?? '', 'hex');
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
const PAGE =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Baseline</title></head>' +
  '<body><main><h1>Civilian oversight</h1><p>A fixed page, the same for everyone.</p></main></body></html>';

const database =
  kind === 'html'
    ? undefined
    : await openDatabase({
        databaseUrl: process.env['DATABASE_URL'] || undefined,
        pgliteDir: process.env['BENCH_PGLITE_DIR'],
        logger: createLogger('silent'),
      });
const db = database?.db;

const hmacHex = (value: string) => createHmac('sha256', key).update(value).digest('hex');
const codeHash = (code: string) => {
  const bare = code.toUpperCase().replace(/[^0-9A-Z]/g, '');
  return `h1:${hmacHex(`verify:${bare.match(/.{1,4}/g)?.join('-') ?? ''}`)}`;
};
const same = (a: string, b: string) => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
};
const randomCode = (length: number) => Array.from({ length }, () => ALPHABET[randomInt(30)]).join('');

const app = express();
app.use(express.json({ limit: '100kb' }));

app.get('/readyz', async (_req, res) => {
  if (db) await sql`select 1`.execute(db);
  res.json({ ok: true });
});

app.get('/page', (_req, res) => {
  res.type('html').send(PAGE);
});

app.post('/status', async (req, res) => {
  const { trackingNumber, accessCode } = req.body as { trackingNumber: string; accessCode: string };
  const row = await db!
    .selectFrom('complaints')
    .select(['id', 'tracking_number', 'access_code_hash', 'stage', 'outcome', 'public_history'])
    .where('tracking_number', '=', String(trackingNumber).trim().toUpperCase())
    .executeTakeFirst();
  const matches = same(codeHash(String(accessCode)), row?.access_code_hash ?? `h1:${'0'.repeat(64)}`);
  if (!row || !matches) return res.status(404).json({ error: 'not found' });
  return res.json({ trackingNumber: row.tracking_number, stage: row.stage, history: row.public_history });
});

/** The shape of a new complaint, read once: the filed template's snapshot and state. */
const template =
  kind === 'filing'
    ? await db!
        .selectFrom('complaints')
        .select(['snapshot', 'machine_version', 'stage', 'state', 'public_history'])
        .where('tracking_number', '=', process.env['BENCH_TEMPLATE_TRACKING'] ?? '')
        .executeTakeFirstOrThrow()
    : undefined;

app.post('/complaints', async (req, res) => {
  const body = req.body as { narrative: string; language: 'en' | 'es'; district?: string; categories: string[] };
  const at = new Date();
  const accessCode = createHmac('sha256', key)
    .update(`derive:${randomBytes(32).toString('hex')}`)
    .digest('hex');
  await sql`insert into rate_limits (bucket, failures, window_ends_at)
    values (${'q:f:bench-baseline'}, 1, ${new Date(at.getTime() + 3_600_000)})
    on conflict (bucket) do update set
      failures = case when rate_limits.window_ends_at <= ${at} then 1 else rate_limits.failures + 1 end,
      window_ends_at = case when rate_limits.window_ends_at <= ${at} then excluded.window_ends_at
        else rate_limits.window_ends_at end
    returning failures`.execute(db!);
  for (let attempt = 1; ; attempt++) {
    const trackingNumber = `OC-${randomCode(4)}-${randomCode(4)}`;
    try {
      await db!.transaction().execute(async (trx) => {
        const { id } = await trx
          .insertInto('complaints')
          .values({
            tracking_number: trackingNumber,
            access_code_hash: codeHash(accessCode),
            submission_token: hmacHex(`submission:${accessCode}`),
            submission_hash: hmacHex(`body:${JSON.stringify(body)}`),
            snapshot: JSON.stringify(template!.snapshot),
            machine_version: template!.machine_version,
            stage: template!.stage,
            state: template!.state,
            language: body.language,
            channel: 'api',
            narrative: body.narrative,
            district: body.district ?? null,
            received_at: at,
            stage_changed_at: at,
            updated_at: at,
            public_history: JSON.stringify([{ stage: 'received', at: at.toISOString() }]),
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await trx.insertInto('allegations').values({ complaint_id: id, category: body.categories[0]! }).execute();
        // As the app appends: the chain's lock in a statement of its own, then the row after the
        // head in one statement, its hash made by the database (audit.repository.ts appendToChain).
        await sql`select pg_advisory_xact_lock(${CHAIN_LOCK})`.execute(trx);
        const fields = {
          occurredAt: at,
          eventType: 'complaint.create',
          actorType: 'public' as const,
          actorId: null,
          outcome: 'success' as const,
          objectType: 'complaint',
          objectId: id,
          requestId: null,
          details: { state: template!.state, channel: 'api', bench: 'baseline' },
        };
        await appendToChain(
          trx,
          {
            occurred_at: at,
            event_type: fields.eventType,
            actor_type: fields.actorType,
            actor_id: null,
            outcome: fields.outcome,
            object_type: fields.objectType,
            object_id: id,
            request_id: null,
            details: JSON.stringify(fields.details),
          },
          auditBody(fields),
          GENESIS_HASH,
        );
      });
      return res.status(201).json({ trackingNumber, accessCode });
    } catch (error) {
      // A random tracking number already taken (rare at a million): another, as the app does.
      if ((error as { code?: string }).code !== '23505' || attempt >= 5) throw error;
    }
  }
});

const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
});
const stop = () => {
  server.closeAllConnections();
  server.close(() => {
    void (database?.close() ?? Promise.resolve()).finally(() => process.exit(0));
  });
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
