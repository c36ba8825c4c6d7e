import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat, unlink } from 'node:fs/promises';
import { PassThrough, pipeline, type Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import type * as Sdk from '@aws-sdk/client-s3';
import { isStoredName, type EvidenceStorage } from './evidence.storage.js';

/** A bucket of an S3-compatible store (AWS S3, MinIO, s3rver, …); credentials come from the SDK's own chain. */
export interface S3EvidenceOptions {
  bucket: string;
  /** Put before every name to make its key: `evidence/` by default. */
  prefix: string;
  region: string;
  /** Another provider's address; absent: AWS S3 itself. */
  endpoint?: string | undefined;
  /** `host/bucket/key` addresses rather than `bucket.host/key` (MinIO and s3rver need them). */
  forcePathStyle: boolean;
  /** The `x-amz-server-side-encryption` asked of every upload; absent: the bucket's own default. */
  serverSideEncryption?: 'AES256' | 'aws:kms' | undefined;
}

/** Keys per listing page: S3's most. */
const PAGE_SIZE = 1000;
/** Tries of an upload from a file. The SDK retries no request whose body is a stream: this does, with a new stream. */
const PUT_ATTEMPTS = 3;

type Connection = { sdk: typeof Sdk; client: Sdk.S3Client };

/**
 * Evidence in an S3-compatible bucket under a key prefix, for several instances with no shared disk
 * (#18 item 5). Names are made here (random lower-case UUIDs) as by the local store, and only such
 * names become keys, so a crafted name never reaches the store. Objects are written whole or not at
 * all: a failed upload leaves nothing under the name. `pageSize` is for tests.
 */
export function s3EvidenceStorage(options: S3EvidenceOptions, pageSize = PAGE_SIZE): EvidenceStorage {
  const { bucket, prefix } = options;
  // Loaded on first use: an app that keeps its evidence on local disk never loads the SDK (about 25 MB).
  let connection: Promise<Connection> | undefined;
  const connect = () =>
    (connection ??= import('@aws-sdk/client-s3').then((sdk) => ({
      sdk,
      client: new sdk.S3Client(clientConfig(options)),
    })));
  const keyOf = (name: string) => {
    // The only guard against a crafted name reaching the bucket (../, another prefix, upper case).
    if (!isStoredName(name)) throw new Error('not a stored evidence name');
    return `${prefix}${name}`;
  };
  const encryption = options.serverSideEncryption ? { ServerSideEncryption: options.serverSideEncryption } : {};

  return {
    async put(fromPath) {
      const name = randomUUID();
      const { size } = await stat(fromPath);
      const { sdk, client } = await connect();
      for (let attempt = 1; ; attempt += 1) {
        const body = createReadStream(fromPath);
        try {
          const put = { Bucket: bucket, Key: keyOf(name), Body: body, ContentLength: size, ...encryption };
          await client.send(new sdk.PutObjectCommand(put));
          break;
        } catch (error) {
          if (attempt >= PUT_ATTEMPTS || !isTransient(error)) throw error;
          await delay(250 * attempt);
        } finally {
          body.destroy();
        }
      }
      // Stored: the temp file goes. Should that fail, the object is an orphan the janitor removes.
      await unlink(fromPath);
      return name;
    },

    async putBuffer(data) {
      const name = randomUUID();
      const { sdk, client } = await connect();
      const put = { Bucket: bucket, Key: keyOf(name), Body: data, ContentLength: data.length, ...encryption };
      await client.send(new sdk.PutObjectCommand(put));
      return name;
    },

    /** A stream at once, fed when the object arrives; a missing object is an error on the stream. */
    open(name) {
      const key = keyOf(name);
      const out = new PassThrough();
      connect()
        .then(({ sdk, client }) => client.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: key })))
        .then(({ Body }) => {
          if (!Body) throw new Error(`no body for evidence ${name}`);
          // Either end failing ends both: a reader that goes away releases the connection.
          pipeline(Body as Readable, out, () => undefined);
        })
        .catch((error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))));
      return out;
    },

    async size(name) {
      const key = keyOf(name);
      const { sdk, client } = await connect();
      const head = await client
        .send(new sdk.HeadObjectCommand({ Bucket: bucket, Key: key }))
        .catch((error: unknown) => {
          // A missing object reads as a missing local file does; anything else (an outage) stays what it is.
          const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
          throw status === 404 ? Object.assign(new Error(`no evidence ${name}`), { code: 'ENOENT' }) : error;
        });
      if (head.ContentLength === undefined) throw new Error(`no length for evidence ${name}`);
      return head.ContentLength;
    },

    // S3 answers a deletion of a missing key as done: removing twice is not an error.
    async remove(name) {
      const key = keyOf(name);
      const { sdk, client } = await connect();
      await client.send(new sdk.DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },

    async *listOlderThan(before) {
      const { sdk, client } = await connect();
      let token: string | undefined;
      do {
        const page = await client.send(
          new sdk.ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: pageSize, ContinuationToken: token }),
        );
        for (const object of page.Contents ?? []) {
          const name = object.Key?.slice(prefix.length);
          if (name && isStoredName(name) && object.LastModified && object.LastModified < before) yield name;
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    },
  };
}

function clientConfig(options: S3EvidenceOptions): Sdk.S3ClientConfig {
  return {
    region: options.region,
    forcePathStyle: options.forcePathStyle,
    // An abandoned download (the reader went away mid-file) gives its connection back after a minute idle.
    requestHandler: { connectionTimeout: 10_000, socketTimeout: 60_000 },
    // Other providers than AWS may not read the SDK's default checksummed (aws-chunked) uploads and
    // would store the chunk framing as the file (s3rver does): checksums only where S3 requires them.
    ...(options.endpoint
      ? {
          endpoint: options.endpoint,
          requestChecksumCalculation: 'WHEN_REQUIRED',
          responseChecksumValidation: 'WHEN_REQUIRED',
        }
      : {}),
  };
}

/** Worth another try: no answer at all (a network error), throttling, or a server error. */
function isTransient(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return status === undefined || status === 408 || status === 429 || status >= 500;
}
