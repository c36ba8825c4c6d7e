import { expect } from 'chai';
import crypto, { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buffer as read } from 'node:stream/consumers';
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import request from 'supertest';
import { s3EvidenceStorage } from '../../server/platform/evidence/evidence.s3.js';
import { localEvidenceStorage, type EvidenceStorage } from '../../server/platform/evidence/evidence.storage.js';
import { testApp, testConfig } from '../support/app.js';
import { useDatabase } from '../support/database.js';
import { GPS, UUID, cameraJpeg } from '../support/evidenceFixtures.js';
import { NAMED_ANSWERS, receiptCodes, startForm } from '../support/resident.js';
import { createStaff, signIn } from '../support/staff.js';

/** s3rver ships no types: the little of it used here. */
type S3rver = { run(): Promise<AddressInfo>; close(): Promise<void>; httpServer: Server };
type S3rverOptions = { address: string; port: number; directory: string; silent: boolean };
const S3rver = createRequire(import.meta.url)('s3rver') as new (options: S3rverOptions) => S3rver;

/** s3rver's own keys, for the app's storage through the SDK's default chain (the environment). */
const S3_KEYS = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_SESSION_TOKEN: undefined };
const S3_ENV = { ...S3_KEYS, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
const WHEN_REQUIRED = { requestChecksumCalculation: 'WHEN_REQUIRED' } as const;
const setEnv = (values: Record<string, string | undefined>) => {
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
};

/**
 * s3rver 3.7 makes ListObjectsV2 continuation tokens with DES, which OpenSSL 3 keeps in its legacy
 * provider only (a truncated listing answers 500). While s3rver runs, AES stands in for DES: nothing
 * else here uses DES, and s3rver only reads back its own tokens.
 */
function desForS3rver(): () => void {
  type Create = (...args: unknown[]) => unknown;
  const [cipher, decipher] = [crypto.createCipheriv, crypto.createDecipheriv];
  const twice = (bytes: unknown) => Buffer.concat([bytes as Buffer, bytes as Buffer]);
  const aes =
    (create: Create): Create =>
    (algorithm, key, iv, ...rest) =>
      algorithm === 'des' ? create('aes-128-cbc', twice(key), twice(iv)) : create(algorithm, key, iv, ...rest);
  Object.assign(crypto, { createCipheriv: aes(cipher as Create), createDecipheriv: aes(decipher as Create) });
  return () => Object.assign(crypto, { createCipheriv: cipher, createDecipheriv: decipher });
}

/** An s3rver on a free port for the enclosing suite, with these buckets, a client, and a count of requests. */
function useS3(buckets: string[]) {
  const s3 = { endpoint: '', client: undefined as unknown as S3Client, requests: 0 };
  const saved = Object.fromEntries(Object.keys(S3_ENV).map((key) => [key, process.env[key]]));
  const directory = mkdtempSync(path.join(tmpdir(), 'oversight-s3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true });
  let restoreDes = (): unknown => undefined;
  before(async () => {
    setEnv(S3_ENV);
    restoreDes = desForS3rver();
    s3.endpoint = `http://127.0.0.1:${(await server.run()).port}`;
    server.httpServer.on('request', () => (s3.requests += 1));
    s3.client = new S3Client({ region: 'us-east-1', endpoint: s3.endpoint, forcePathStyle: true, ...WHEN_REQUIRED });
    for (const bucket of buckets) await s3.client.send(new CreateBucketCommand({ Bucket: bucket }));
  });
  after(async () => {
    s3.client.destroy();
    server.httpServer.closeAllConnections(); // the app's own client keeps its connections alive
    await server.close();
    rmSync(directory, { recursive: true, force: true });
    setEnv(saved);
    restoreDes();
  });
  const keys = async (bucket: string, prefix: string) => {
    const page = await s3.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
    return (page.Contents ?? []).map((object) => object.Key!);
  };
  return { s3, keys };
}

/** A store and its backend seen past it: names held, an item planted where a careless store would look, requests. */
type Harness = {
  storage: EvidenceStorage;
  stored(): Promise<string[]>;
  plant(relative: string): Promise<unknown>;
  has(relative: string): Promise<boolean>;
  requests?: () => number;
};

const ok = () => 'ok';
const message = (error: Error) => error.message;
/** How a promise settles: 'ok', or the message of its error. */
const outcome = (promise: Promise<unknown>) => promise.then(ok, message);
const REFUSED = 'not a stored evidence name';

/** One suite for every implementation: what the app may rely on of any evidence store. */
function conformance(harness: () => Harness) {
  const incoming = mkdtempSync(path.join(tmpdir(), 'oversight-incoming-'));

  it('put takes the temp file over under a new lower-case UUID, and gives back its bytes and size', async () => {
    const { storage, stored } = harness();
    const data = Buffer.from('%PDF-1.4 a statement\n');
    const file = path.join(incoming, randomUUID());
    writeFileSync(file, data);
    const name = await storage.put(file);
    expect(name).to.match(UUID);
    expect(existsSync(file), 'the temp file is gone').to.equal(false);
    expect(await stored()).to.include(name);
    expect(await storage.size(name)).to.equal(data.length);
    expect((await read(storage.open(name))).equals(data)).to.equal(true);
  });

  it('putBuffer stores bytes under a new name each time', async () => {
    const { storage } = harness();
    const data = Buffer.alloc(70_000, 0xab);
    const [first, second] = [await storage.putBuffer(data), await storage.putBuffer(data)];
    expect(first).to.match(UUID).and.not.equal(second);
    expect(await storage.size(first)).to.equal(70_000);
    expect((await read(storage.open(second))).equals(data)).to.equal(true);
  });

  it('a name with nothing stored: size rejects and the stream errors', async () => {
    const { storage } = harness();
    const missing = randomUUID();
    expect(await outcome(storage.size(missing))).not.to.equal('ok');
    expect(await outcome(read(storage.open(missing)))).not.to.equal('ok');
  });

  it('remove takes the file away, and removing what is not there is fine', async () => {
    const { storage, stored } = harness();
    const name = await storage.putBuffer(Buffer.from('to go'));
    await storage.remove(name);
    expect(await stored()).not.to.include(name);
    expect(await outcome(storage.size(name))).not.to.equal('ok');
    await storage.remove(name);
    await storage.remove(randomUUID());
  });

  it('lists the stored names written before a time, and nothing else it holds', async () => {
    const { storage, plant } = harness();
    await plant('notes.txt');
    const names = [];
    for (let i = 0; i < 3; i += 1) names.push(await storage.putBuffer(Buffer.from(`file ${i}`)));
    const listed = async (before: Date) => {
      const found: string[] = [];
      for await (const name of storage.listOlderThan(before)) found.push(name);
      return found;
    };
    const all = await listed(new Date(Date.now() + 60_000));
    expect(all).to.include.members(names).and.not.include('notes.txt');
    expect(new Set(all).size).to.equal(all.length);
    expect(await listed(new Date(Date.now() - 60_000))).to.deep.equal([]);
  });

  it('refuses a crafted name without touching the store, even where something lies under it', async () => {
    const { storage, plant, has, requests } = harness();
    const upper = randomUUID().toUpperCase();
    for (const item of ['../x', upper]) await plant(item);
    const before = requests?.();
    for (const name of ['../x', upper, '', 'a/b', `${randomUUID()}/../x`]) {
      expect(await outcome(storage.size(name)), name).to.equal(REFUSED);
      expect(await outcome(storage.remove(name)), name).to.equal(REFUSED);
      expect(() => storage.open(name), name).to.throw(REFUSED);
    }
    expect(requests?.()).to.equal(before);
    expect([await has('../x'), await has(upper)]).to.deep.equal([true, true]);
  });
}

describe('evidence storage: one contract, on local disk and in S3-compatible object storage (#18 item 5)', () => {
  describe('on local disk', () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'oversight-evidence-')), 'files');
    const storage = localEvidenceStorage(dir);
    mkdirSync(dir, { recursive: true });
    conformance(() => ({
      storage,
      stored: async () => readdirSync(dir),
      plant: async (relative) => writeFileSync(path.join(dir, relative), 'planted'),
      has: async (relative) => existsSync(path.join(dir, relative)),
    }));
  });

  describe('in an S3-compatible bucket (s3rver)', () => {
    const { s3, keys } = useS3(['evidence-test']);
    const [Bucket, prefix] = ['evidence-test', 'agency/evidence/'];
    const keyOf = (relative: string) => path.posix.normalize(prefix + relative);
    let storage: EvidenceStorage;
    before(() => {
      const options = { bucket: Bucket, prefix, region: 'us-east-1', endpoint: s3.endpoint, forcePathStyle: true };
      storage = s3EvidenceStorage({ ...options, serverSideEncryption: 'AES256' }, 2); // pages of 2 keys
    });
    conformance(() => ({
      storage,
      stored: async () => (await keys(Bucket, prefix)).map((key) => key.slice(prefix.length)),
      plant: (relative) => s3.client.send(new PutObjectCommand({ Bucket, Key: keyOf(relative), Body: '.' })),
      has: async (relative) => (await keys(Bucket, keyOf(relative))).includes(keyOf(relative)),
      requests: () => s3.requests,
    }));
  });

  describe('the app with its evidence in a bucket', () => {
    const database = useDatabase();
    const { s3, keys } = useS3(['agency-evidence']);

    it('stores a resident’s file in the bucket, not on disk, and staff download it byte for byte', async () => {
      const env = { EVIDENCE_S3_BUCKET: 'agency-evidence', EVIDENCE_S3_FORCE_PATH_STYLE: 'true' };
      const config = testConfig({ ...env, EVIDENCE_S3_ENDPOINT: s3.endpoint });
      expect(config.evidenceStore).to.include({ kind: 's3', prefix: 'evidence/', region: 'us-east-1' });
      const { app } = testApp(database.handle, { config });

      const resident = request.agent(app);
      const csrf = await startForm(resident);
      const photo = cameraJpeg();
      await resident
        .post('/complaint/evidence')
        .field({ _csrf: csrf, action: 'continue' })
        .attach('evidence', photo, { filename: 'photo.jpg', contentType: 'image/jpeg' })
        .expect(303);
      const answers = { ...NAMED_ANSWERS, check: { consent: 'yes', truthful: 'yes' } };
      for (const [step, fields] of Object.entries(answers)) {
        const form = { _csrf: csrf, action: 'continue', ...fields };
        await resident.post(`/complaint/${step}`).type('form').send(form).expect(303);
      }
      const { trackingNumber } = receiptCodes((await resident.get('/complaint/receipt').expect(200)).text);
      const file = await database.db
        .selectFrom('attachments')
        .innerJoin('complaints', 'complaints.id', 'attachments.complaint_id')
        .select(['complaints.id as caseId', 'attachments.id', 'attachments.stored_name', 'attachments.viewing_name'])
        .where('complaints.tracking_number', '=', trackingNumber)
        .executeTakeFirstOrThrow();

      const stored = [`evidence/${file.stored_name}`, `evidence/${file.viewing_name}`];
      expect(await keys('agency-evidence', 'evidence/')).to.include.members(stored);
      expect(existsSync(path.join(config.uploadDir, 'files')), 'no local evidence folder').to.equal(false);
      expect(readdirSync(path.join(config.uploadDir, 'incoming'))).to.deep.equal([]);

      const supervisor = await signIn(app, await createStaff(database.db, ['supervisor']));
      const url = `/staff/cases/${file.caseId}/evidence/${file.id}`;
      const original = await supervisor.get(url).buffer(true).expect(200);
      expect(Buffer.compare(original.body as Buffer, photo)).to.equal(0);
      expect(original.headers['content-length']).to.equal(String(photo.length));
      const viewing = await supervisor.get(`${url}?copy=viewing`).buffer(true).expect(200);
      expect((viewing.body as Buffer).toString('latin1')).not.to.contain(GPS);
    });
  });
});
